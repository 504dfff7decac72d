/* device_stub.c: the device API when battrace is built without nvcc: there
 * is never a device, and a run asked of one fails cleanly (the callers then
 * use the host backend). The Makefile builds it instead of device.cu and
 * kernels.cu when nvcc is missing. */
#include <stdio.h>

#include "device.h"

int bt_device_count(void) { return 0; }

int bt_device_run(const BtBatch *b, BtDeviceStats *st, char *msg, size_t msglen)
{
    (void)b;
    (void)st;
    if (msg && msglen)
        snprintf(msg, msglen, "battrace was built without CUDA (no nvcc)");
    return -1;
}

int bt_dev_alloc(void **p, size_t bytes, char *msg, size_t msglen)
{
    (void)bytes;
    *p = NULL;
    if (msg && msglen)
        snprintf(msg, msglen, "battrace was built without CUDA (no nvcc)");
    return -1;
}

void bt_dev_free(void *p) { (void)p; }

int bt_dev_copy(void *dst, const void *src, size_t bytes, int dir, char *msg, size_t msglen)
{
    (void)dst, (void)src, (void)bytes, (void)dir;
    if (msg && msglen)
        snprintf(msg, msglen, "battrace was built without CUDA (no nvcc)");
    return -1;
}
