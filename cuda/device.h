/* device.h: the CUDA side of the GPU backend, callable from C.
 *
 * Implemented by device.cu + kernels.cu when nvcc is present, and by
 * device_stub.c (no device, ever) when it is not. Everything here fails
 * softly: no driver or no GPU means 0 devices, and a CUDA error during a run
 * comes back as -1 with a message, never as an abort, so the caller can run
 * the host backend instead. */
#ifndef BATTRACE_CUDA_DEVICE_H
#define BATTRACE_CUDA_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "grid_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What one device run did. */
typedef struct BtDeviceStats {
    uint64_t launches;   /* kernel launches, CUB's included */
    uint64_t bytes_to;   /* host -> device */
    uint64_t bytes_from; /* device -> host */
} BtDeviceStats;

/* CUDA devices usable now: 0 when the driver or the device is absent
 * (probed once, then cached). */
int bt_device_count(void);

/* Run batch b on device 0: upload its items, cells and patch, launch, and
 * download b->out (grid kinds) or b->res (reductions). Device memory is
 * allocated for the call and freed before it returns. 0 on success; -1 with
 * a message in msg on any CUDA error (b's outputs are then undefined). */
int bt_device_run(const BtBatch *b, BtDeviceStats *st, char *msg, size_t msglen);

#ifdef __cplusplus
}
#endif

#endif
