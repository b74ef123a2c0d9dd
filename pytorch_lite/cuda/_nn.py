"""Device versions of pytorch_lite._nn (csrc/_nn.pyx): same names, same arguments, CuPy arrays."""
from . import _kernels as K

SOURCE = K.register(__name__, r"""
#define THRESHOLD(T, S)                                                                          \
extern "C" __global__ void threshold_forward_##S(const T* input, T* output, long long n,      \
                                                  T threshold, T value) {                    \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;                 \
       i += (long long)blockDim.x * gridDim.x) {                                              \
    T x = input[i];                                                                           \
    output[i] = x > threshold ? x : value;                                                    \
  }                                                                                           \
}                                                                                             \
extern "C" __global__ void threshold_backward_##S(const T* input, const T* gradOutput,       \
                                                   T* gradInput, long long n, T threshold) { \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;                 \
       i += (long long)blockDim.x * gridDim.x) {                                              \
    T g = gradOutput[i];                                                                      \
    gradInput[i] = input[i] > threshold ? g : (T)0;                                           \
  }                                                                                           \
}
THRESHOLD(float, float)
THRESHOLD(double, double)
""")


def threshold_forward(input, output, threshold, value):
    """output[i] = input[i] if input[i] > threshold else value (1-D contiguous; may be in place)."""
    n = input.shape[0]
    if output.shape[0] != n:
        raise ValueError("threshold_forward: output has %d elements, input %d" % (output.shape[0], n))
    K.launch(__name__, "threshold_forward", input.dtype, n, input, output, K.i64(n),
             K.real(input.dtype, threshold), K.real(input.dtype, value))


def threshold_backward(input, gradOutput, gradInput, threshold):
    n = input.shape[0]
    if gradOutput.shape[0] != n or gradInput.shape[0] != n:
        raise ValueError("threshold_backward: sizes disagree (%d, %d, %d)"
                         % (n, gradOutput.shape[0], gradInput.shape[0]))
    K.launch(__name__, "threshold_backward", input.dtype, n, input, gradOutput, gradInput, K.i64(n),
             K.real(input.dtype, threshold))
