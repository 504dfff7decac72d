/* device.cu: finding the CUDA device. The probe runs once (a C++ function
 * static is thread-safe); a missing driver, a driver older than the runtime,
 * or no GPU all read as 0 devices, and the sticky error the failed call
 * leaves is cleared so that nothing later trips on it. */
#include <cuda_runtime.h>

#include "device.h"

static int probe_devices()
{
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        (void)cudaGetLastError();
        return 0;
    }
    return n > 0 ? n : 0;
}

extern "C" int bt_device_count(void)
{
    static const int n = probe_devices();
    return n;
}
