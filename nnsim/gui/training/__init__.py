"""The training studio: MNIST training with live curves, a look inside the network and a digit pad."""
