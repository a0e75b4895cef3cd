"""The lessons panel: the lesson list with progress ticks, the current step beside the canvas, answers, Check,
Hint, Previous/Next and Reset; progress kept in QSettings."""
