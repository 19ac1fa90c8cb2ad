package dev.mnistcnn.bench.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * The seed CNN (225,546 parameters) as a DJL block, NCHW as PyTorch wants it. The last layer gives
 * logits: the loss applies the softmax (same maths as Keras's softmax + cross-entropy).
 */
final class SeedCnn {
  static final long PARAMS = 225_546;

  private SeedCnn() {}

  static SequentialBlock build() {
    SequentialBlock net =
        new SequentialBlock()
            .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(32).build())
            .add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(2, 2)))
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build())
            .add(Activation.reluBlock())
            .add(Pool.maxPool2dBlock(new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(128).build())
            .add(Activation.reluBlock())
            .add(Linear.builder().setUnits(10).build());
    // Keras's glorot_uniform: U(-c, c), c = sqrt(6 / (fan_in + fan_out)), conv fans times kh*kw.
    net.setInitializer(
        new XavierInitializer(
            XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3),
        Parameter.Type.WEIGHT);
    net.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    return net;
  }
}
