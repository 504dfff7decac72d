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
