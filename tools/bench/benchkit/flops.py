"""FLOPs of the seed CNN, counted from its layer shapes (multiply and add count as two).

A training step costs the forward pass, the weight gradients (as many FLOPs as the forward pass
of each conv or dense layer) and the input gradients of every layer but the first (nothing
needs the gradient of the input images). Bias adds, ReLU, pooling and the loss are left out:
they are element-wise, under 1% of the total.
"""

# (name, kind, output height, output width, output channels, kernel h*w, input channels)
SEED_CNN = [
    ("conv2d", "conv", 24, 24, 32, 5 * 5, 1),
    ("conv2d_1", "conv", 10, 10, 64, 3 * 3, 32),
    ("dense", "dense", 1, 1, 128, 1, 1600),
    ("dense_1", "dense", 1, 1, 10, 1, 128),
]


def layer_forward_flops(layer):
    _, _, h, w, c_out, kernel, c_in = layer
    return 2 * h * w * c_out * kernel * c_in


def forward_flops(layers=SEED_CNN):
    return sum(layer_forward_flops(layer) for layer in layers)


def training_flops(layers=SEED_CNN):
    forward = forward_flops(layers)
    weight_grads = forward
    input_grads = forward - layer_forward_flops(layers[0])
    return forward + weight_grads + input_grads


def epoch_flops(train_images, test_images, layers=SEED_CNN):
    """One epoch of the recipe: training steps, then the validation forward pass."""
    return train_images * training_flops(layers) + test_images * forward_flops(layers)


FORMULA = (
    "conv: 2·H_out·W_out·C_out·k_h·k_w·C_in; dense: 2·in·out. Forward: conv2d 921,600 + "
    "conv2d_1 3,686,400 + dense 409,600 + dense_1 2,560 = **5,020,160** FLOP/image. Training step: "
    "forward + weight gradients (= forward) + input gradients of all but the first conv "
    "(forward − 921,600) = **14,138,880** FLOP/image. An epoch: 60,000 × 14.14 M + 10,000 × "
    "5.02 M (validation) = 898.5 GFLOP."
)
