# syntax=docker/dockerfile:1
# streamtrain: one image for every service (produce, train, evaluate, ...); the command picks it.
#   docker build -t streamtrain .
#   docker run --rm streamtrain --help
# ND4J ships linux-x86_64 (AVX2) natives only, so the image runs on amd64 hosts (docker-compose.yml
# pins platform: linux/amd64 for the app services).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds (BuildKit); -DskipTests still builds the test-jars the
# launcher's test scope names, which -Dmaven.test.skip would not.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
# One OpenMP/BLAS thread per service, as the streamtrain script sets it: DL4J's default (every core,
# every op) trains the tutorial MLP several times slower on small machines. Must be set before ND4J loads.
ENV OMP_NUM_THREADS=1 \
    OPENBLAS_NUM_THREADS=1
COPY --from=build /src/launcher/target/streamtrain.jar /app/streamtrain.jar
# The spec files of examples/, for --config /app/examples/NAME.yaml.
COPY examples/*.yaml /app/examples/
# Relative paths (./data/<dataset>/ for datasets and downloads, .streamtrain/ for state) resolve
# against /, so a volume on /data is where the producer finds or downloads Fashion-MNIST.
WORKDIR /
# Prometheus /metrics: produce 9401, train 9402, evaluate 9403 (local 9400).
EXPOSE 9401 9402 9403
# Jars of your own models and losses (ServiceLoader plugins) go in /app/plugins, e.g. a volume.
RUN mkdir -p /app/plugins
# OpenBLAS's kernels chosen as ./streamtrain chooses them (bin/openblas-kernels.sh): on the host's CPU.
COPY bin/openblas-kernels.sh /app/openblas-kernels.sh
ENTRYPOINT ["/bin/sh", "-c", ". /app/openblas-kernels.sh && exec java -Xmx2g -cp '/app/streamtrain.jar:/app/plugins/*' dev.streamtrain.launcher.StreamtrainCommand \"$@\"", "streamtrain"]
CMD ["--help"]
