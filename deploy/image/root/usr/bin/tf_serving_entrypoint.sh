#!/bin/sh
# The tensorflow/serving image's entrypoint, with our server in place of tensorflow_model_server:
# gRPC on 8500, REST on 8501, the model $MODEL_NAME from $MODEL_BASE_PATH/$MODEL_NAME (version
# folders 1/, 2/, ...), and the container's arguments as further flags. JAVA_OPTS: JVM options.
# TensorFlow's native library is unpacked under /tmp (JavaCPP's cache), the one writable place.
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp $JAVA_OPTS -cp @/app/jib-classpath-file dev.mnistcnn.cli.Main model-server \
  --port=8500 --rest_api_port=8501 \
  --model_name="${MODEL_NAME}" --model_base_path="${MODEL_BASE_PATH}/${MODEL_NAME}" \
  "$@"
