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

/* What one device run did (its transfers are counted by batch.c, alike for
 * both backends). */
typedef struct BtDeviceStats {
    uint64_t launches; /* kernel launches, CUB's included */
} BtDeviceStats;

/* Directions of bt_dev_copy. */
enum { BT_TO_DEVICE, BT_FROM_DEVICE, BT_ON_DEVICE };

/* CUDA devices usable now: 0 when the driver or the device is absent
 * (probed once, then cached). */
int bt_device_count(void);

/* Device memory of the value store (store.c): 0 on success, -1 with a
 * message. bt_dev_copy copies bytes in direction dir (BT_TO_DEVICE: dst is
 * on the device, BT_FROM_DEVICE: src is, BT_ON_DEVICE: both). */
int bt_dev_alloc(void **p, size_t bytes, char *msg, size_t msglen);
void bt_dev_free(void *p);
int bt_dev_copy(void *dst, const void *src, size_t bytes, int dir, char *msg, size_t msglen);

/* Run batch b on device 0. b->cells and b->out are DEVICE pointers (into the
 * value store: the inputs are already there, the outputs stay there); its
 * items and patch are host memory, uploaded for the run, and b->res is host
 * memory that receives the kinds' results the host reads (bt_kind_res).
 * Scratch (histograms, marks, the copies of items and patch) is allocated
 * for the call and freed before it returns. 0 on success; -1 with a message
 * in msg on any CUDA error (b's outputs are then undefined). */
int bt_device_run(const BtBatch *b, BtDeviceStats *st, char *msg, size_t msglen);

#ifdef __cplusplus
}
#endif

#endif
