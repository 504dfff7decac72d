/* host.h: the host backend of the batched grid kernels (host.c). */
#ifndef BATTRACE_CUDA_HOST_H
#define BATTRACE_CUDA_HOST_H

#include "grid_kernels.h"

/* Compute batch b on the CPU with the kernels' own BT_HD functions, in the
 * device's steps: histograms, marks, then map or reduce. 0 on success, -1
 * when scratch memory cannot be had. */
int bt_host_run(const BtBatch *b);

#endif
