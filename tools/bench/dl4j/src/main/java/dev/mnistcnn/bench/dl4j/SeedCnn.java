package dev.mnistcnn.bench.dl4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The seed CNN (225,546 parameters) as a DL4J network with the seed's Adam and init. */
final class SeedCnn {
  static final int PARAMS = 225_546;

  private SeedCnn() {}

  static MultiLayerNetwork build(long seed, CNN2DFormat format) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            // Keras's Adam defaults: lr 1e-3, betas 0.9/0.999, epsilon 1e-7 (DL4J's is 1e-8).
            .updater(new Adam(1e-3, 0.9, 0.999, 1e-7))
            .weightInit(WeightInit.XAVIER_UNIFORM) // Keras's glorot_uniform; biases start at 0
            .list()
            .layer(conv(5, 32, format))
            .layer(pool(format))
            .layer(conv(3, 64, format))
            .layer(pool(format))
            .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(10)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(28, 28, 1, format))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    if (net.numParams() != PARAMS) {
      throw new IllegalStateException(
          "the DL4J network has " + net.numParams() + " parameters, the seed CNN " + PARAMS);
    }
    return net;
  }

  private static ConvolutionLayer conv(int kernel, int filters, CNN2DFormat format) {
    return new ConvolutionLayer.Builder(kernel, kernel)
        .stride(1, 1)
        .nOut(filters)
        .activation(Activation.RELU)
        .dataFormat(format)
        .build();
  }

  private static SubsamplingLayer pool(CNN2DFormat format) {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
        .kernelSize(2, 2)
        .stride(2, 2)
        .dataFormat(format)
        .build();
  }
}
