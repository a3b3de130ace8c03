# Sourced by ./streamtrain and the Docker image's entrypoint (POSIX sh): which OpenBLAS kernels the
# JVM's gemms use. OpenBLAS reads OPENBLAS_CORETYPE once, when ND4J loads it, so it is set here.
#
# ND4J 1.0.0-M2.1 bundles OpenBLAS 0.3.19, which predates AVX-512 on recent AMD CPUs and detects
# them wrongly: on the 2-core AMD EPYC of README's Performance section its own choice runs the
# tutorial's step at 4.6 ms, its Haswell kernels at 2.2 ms and its SkylakeX kernels at 1.4 ms.
# So when OPENBLAS_CORETYPE is unset and the CPU has AVX-512 F, BW, DQ and VL, the SkylakeX kernels
# are used. A value you set is kept (e.g. Haswell); set it empty to let OpenBLAS choose, as every
# streamtrain before 0.5 did. Each run records the setting (environment.blasCoreType): kernels sum
# in different orders, so they change a run's bits, and a replay warns when its kernels differ.
if [ -z "${OPENBLAS_CORETYPE+set}" ]; then
  if [ -r /proc/cpuinfo ] && flags=" $(grep -m1 '^flags' /proc/cpuinfo) " \
      && case "$flags" in *" avx512f "*) true ;; *) false ;; esac \
      && case "$flags" in *" avx512bw "*) true ;; *) false ;; esac \
      && case "$flags" in *" avx512dq "*) true ;; *) false ;; esac \
      && case "$flags" in *" avx512vl "*) true ;; *) false ;; esac; then
    export OPENBLAS_CORETYPE=SkylakeX
  fi
elif [ -z "$OPENBLAS_CORETYPE" ]; then
  unset OPENBLAS_CORETYPE
fi
