"""Learning: the book's network and how it learns.

- :mod:`.costs` — the quadratic cost (and chapter 3's cross-entropy)
- :mod:`.network` — the book's ``Network``: ``feedforward``, ``SGD``, ``update_mini_batch``, ``backprop``, ``evaluate``
- :mod:`.training` — the fast SGD used by the app and ``nnsim train``: the same update, reorganised
- :mod:`.encodings` — one-hot and 4-bit output encodings, the hand-set 10 → 4 layer
- :mod:`.baselines` — random guessing, average darkness, the SVM
- :mod:`.metrics` — accuracy as a percentage, the confusion matrix, each digit's accuracy
- :mod:`.digits` — preparing a drawn digit the way MNIST's digits were prepared
- :mod:`.descent` — gradient descent on a cost of two variables
- :mod:`.teach` — gradient descent on a canvas network's weights and biases
"""
