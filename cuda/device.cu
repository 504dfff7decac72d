/* device.cu: finding the CUDA device, and the device memory of the value
 * store. The probe runs once (a C++ function static is thread-safe); a
 * missing driver, a driver older than the runtime, or no GPU all read as 0
 * devices, and the sticky error the failed call leaves is cleared so that
 * nothing later trips on it. Memory calls turn CUDA errors into -1 and a
 * message, as the runs do. */
#include <cuda_runtime.h>

#include <stdio.h>

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

/* -1 and the message of a failed call (its error cleared when not sticky). */
static int failed(cudaError_t e, const char *what, char *msg, size_t msglen)
{
    (void)cudaGetLastError();
    if (msg && msglen)
        snprintf(msg, msglen, "CUDA error in %s: %s", what, cudaGetErrorString(e));
    return -1;
}

extern "C" int bt_dev_alloc(void **p, size_t bytes, char *msg, size_t msglen)
{
    cudaError_t e = cudaMalloc(p, bytes ? bytes : 16);
    return e == cudaSuccess ? 0 : failed(e, "store allocation", msg, msglen);
}

extern "C" void bt_dev_free(void *p)
{
    if (p)
        cudaFree(p);
}

extern "C" int bt_dev_copy(void *dst, const void *src, size_t bytes, int dir, char *msg, size_t msglen)
{
    if (!bytes)
        return 0;
    cudaMemcpyKind k = dir == BT_TO_DEVICE     ? cudaMemcpyHostToDevice
                       : dir == BT_FROM_DEVICE ? cudaMemcpyDeviceToHost
                                               : cudaMemcpyDeviceToDevice;
    cudaError_t e = cudaMemcpy(dst, src, bytes, k);
    return e == cudaSuccess ? 0 : failed(e, "store copy", msg, msglen);
}
