"""The pure NumPy core: no Qt, no files, no printing. A map from the sections of chapter 1 of Nielsen's
*Neural Networks and Deep Learning* to the modules that hold them:

Perceptrons
    :mod:`.activations` (``step``); :mod:`.circuit` — the editable network (``graph``, ``edits``, ``events``,
    ``chips``), its one evaluation order (``order``), the compiler (``compile``) and ``layout``;
    :mod:`.logic` — the NAND perceptron and everything built from it (``gates``: gates, adders, the latch),
    truth tables and the one comparison with an expected table (``truthtable``), boolean expressions
    (``boolexpr``), any table from NANDs (``synthesis``).
Sigmoid neurons
    :mod:`.activations` (the only σ); :mod:`.logic.sigmoid_limit` (weights × c, c → ∞, the smallest working
    c); :mod:`.response` (sweeps, ΔO ≈ Σ ∂O/∂w·Δw against the real ΔO, the scale-c curve).
The architecture of neural networks
    :mod:`.circuit.compile` (levels, one matrix product per level, loops run in time steps);
    :mod:`.learning.network` (``sizes``, ``weights``, ``biases``, ``feedforward``).
A simple network to classify handwritten digits
    :mod:`.learning.encodings` (ten outputs, or four bits); :mod:`.learning.digits` (a drawn digit as MNIST
    would have it).
Learning with gradient descent
    :mod:`.learning.costs` (the quadratic cost, and cross-entropy); :mod:`.learning.descent` (the ball rolling
    down a 2-D valley, batch against mini-batch); :mod:`.learning.teach` (SGD on a canvas network's own
    gradients).
Implementing our network to classify digits
    :mod:`.learning.network` (``SGD``, ``update_mini_batch``, ``backprop``, ``evaluate``);
    :mod:`.learning.kernel` (the same update, reorganised to run fast); :mod:`.learning.training` (the SGD
    loop as a generator of reports); :mod:`.learning.runs` (many runs at once); :mod:`.learning.metrics`;
    :mod:`.learning.baselines` (random guessing, average darkness, the SVM).
Toward deep learning
    :mod:`.learning.network` takes any ``sizes``, several hidden layers included; :mod:`.circuit.chips`
    builds circuits from sub-circuits, a hierarchy like the book's sub-networks.

Beside the chapter: :mod:`.lessons` and :mod:`.conditions` (lesson checks), :mod:`.expressions` (tokens and
the error of every typed expression), :mod:`.errors` (``UserError``), :mod:`.blas` (one BLAS thread).
"""
