/* kernels.cu: the batched grid kernels and the device memory of one run.
 *
 * A batch (BtBatch, see grid_kernels.h) reads its input cells from the
 * value store (store.h: they are on the device already) and writes its
 * output cells there; its items and patch are uploaded, and it is computed
 * in up to three steps:
 *   1. histograms (kinds that count colours): cub::DeviceSegmentedReduce
 *      over the cells, one segment per item's grid, with a one-hot transform
 *      and bt_hist_add as the operator;
 *   2. marks (patch kinds): one thread per patch entry, an atomic max of the
 *      entry index into its output cell (bt_mark);
 *   3. map (grid kinds): one thread per output cell over tiles of
 *      BLOCK_THREADS * ITEMS_PER_THREAD cells; each block looks up the item
 *      range of its tile once (shared memory), each thread then searches only
 *      that range (bt_map_one); or reduce (reductions): one thread per item
 *      (bt_reduce).
 * Grid-stride loops everywhere, so the launch size is bounded and any batch
 * size works. The results the host reads (bt_kind_res) come down; the
 * output cells stay in the store. Scratch memory lives for one call (DevRun
 * frees it on every path); every CUDA error becomes a -1 return with a
 * message. */
#include <cub/cub.cuh>
#include <thrust/iterator/transform_iterator.h>

#include <stdio.h>

#include "device.h"
#include "grid_kernels.h"

namespace {

constexpr int kBlockThreads = 256;
constexpr int kItemsPerThread = 4;
constexpr int64_t kMaxBlocks = 4096;

/* ---- functors for CUB ---- */

struct OneHot {
    __host__ __device__ BtHist operator()(int32_t cell) const { return bt_hist_one(cell); }
};
struct HistAdd {
    __host__ __device__ BtHist operator()(const BtHist &a, const BtHist &b) const { return bt_hist_add(a, b); }
};
struct SegBegin {
    __host__ __device__ int64_t operator()(const BtItem &it) const { return it.a.off; }
};
struct SegEnd {
    __host__ __device__ int64_t operator()(const BtItem &it) const { return it.a.off + (int64_t)it.a.h * it.a.w; }
};

/* ---- kernels ---- */

/* Map: output cells [0, total), in tiles; striped within a tile so that a
 * warp's stores are contiguous. */
template <int BLOCK_THREADS, int ITEMS_PER_THREAD>
__global__ void __launch_bounds__(BLOCK_THREADS)
map_kernel(int kind, BtView v, const BtItem *items, int64_t nitems, int64_t total, int32_t *out)
{
    constexpr int64_t kTile = (int64_t)BLOCK_THREADS * ITEMS_PER_THREAD;
    __shared__ int64_t range[2]; /* the items of this tile: [lo, hi) */
    for (int64_t tile = (int64_t)blockIdx.x * kTile; tile < total; tile += (int64_t)gridDim.x * kTile) {
        int64_t end = tile + kTile < total ? tile + kTile : total;
        if (threadIdx.x == 0) {
            range[0] = bt_find_item(items, 0, nitems, tile);
            range[1] = bt_find_item(items, range[0], nitems, end - 1) + 1;
        }
        __syncthreads();
        int64_t lo = range[0], hi = range[1];
#pragma unroll
        for (int q = 0; q < ITEMS_PER_THREAD; q++) {
            int64_t t = tile + (int64_t)q * BLOCK_THREADS + threadIdx.x;
            if (t < end)
                out[t] = bt_map_one(kind, &v, items, lo, hi, t);
        }
        __syncthreads(); /* range is rewritten by the next tile */
    }
}

/* Marks: one thread per patch entry. */
template <int BLOCK_THREADS>
__global__ void __launch_bounds__(BLOCK_THREADS)
mark_kernel(const BtItem *items, const BtPatch *patch, int64_t npatch, int32_t *mark)
{
    for (int64_t e = (int64_t)blockIdx.x * BLOCK_THREADS + threadIdx.x; e < npatch;
         e += (int64_t)gridDim.x * BLOCK_THREADS)
        bt_mark(mark, items, patch, e);
}

/* Reductions: one thread per item, from its histogram. */
template <int BLOCK_THREADS>
__global__ void __launch_bounds__(BLOCK_THREADS)
reduce_kernel(int kind, const BtItem *items, const BtHist *hist, int64_t nitems, int64_t *res)
{
    for (int64_t k = (int64_t)blockIdx.x * BLOCK_THREADS + threadIdx.x; k < nitems;
         k += (int64_t)gridDim.x * BLOCK_THREADS)
        res[k] = bt_reduce(kind, hist[k], items[k].p[0]);
}

/* objects: one block per item (grid-stride over items), the three union-find
 * phases of bt_ccl_* with a barrier between each. The labels live in shared
 * memory when the grid has at most BT_CCL_SHARED cells (copied out at the
 * end), else in the item's output cells in global memory (the atomics and
 * the volatile walks in bt_ccl_root work on either; within one block,
 * __syncthreads orders global memory too). */
template <int BLOCK_THREADS>
__global__ void __launch_bounds__(BLOCK_THREADS)
objects_kernel(BtView v, const BtItem *items, int64_t nitems, int32_t *out, int64_t *res)
{
    __shared__ int32_t sh[BT_CCL_SHARED];
    for (int64_t k = blockIdx.x; k < nitems; k += gridDim.x) {
        const BtItem *it = &items[k];
        int32_t n = it->a.h * it->a.w;
        int32_t *dst = out + it->out.off;
        int32_t *parent = n <= BT_CCL_SHARED ? sh : dst;
        int32_t bg;
        bool has_bg = bt_obj_bg(&v, it, k, &bg);
        for (int32_t p = threadIdx.x; p < n; p += BLOCK_THREADS)
            bt_ccl_init(parent, &v, it, has_bg, bg, p);
        __syncthreads();
        for (int32_t p = threadIdx.x; p < n; p += BLOCK_THREADS)
            bt_ccl_unite(parent, &v, it, has_bg, bg, p);
        __syncthreads();
        for (int32_t p = threadIdx.x; p < n; p += BLOCK_THREADS)
            bt_ccl_flatten(parent, p);
        __syncthreads();
        if (parent == sh)
            for (int32_t p = threadIdx.x; p < n; p += BLOCK_THREADS)
                dst[p] = sh[p];
        for (int32_t p = threadIdx.x; p < n; p += BLOCK_THREADS)
            bt_ccl_colour(out + it->out.off, &v, it, p);
        if (threadIdx.x == 0)
            res[k] = bg;
        __syncthreads(); /* sh is reused by the next item */
    }
}

/* ofcolor: one block per item; the matching positions compacted in
 * row-major order by a block-wide exclusive scan per tile of BLOCK_THREADS
 * cells; res[k] = their count. */
template <int BLOCK_THREADS>
__global__ void __launch_bounds__(BLOCK_THREADS)
ofcolor_kernel(BtView v, const BtItem *items, int64_t nitems, int32_t *out, int64_t *res)
{
    using Scan = cub::BlockScan<int32_t, BLOCK_THREADS>;
    __shared__ typename Scan::TempStorage tmp;
    __shared__ int32_t base;
    for (int64_t k = blockIdx.x; k < nitems; k += gridDim.x) {
        const BtItem *it = &items[k];
        int32_t n = it->a.h * it->a.w;
        int32_t *dst = out + it->out.off;
        if (threadIdx.x == 0)
            base = 0;
        __syncthreads();
        for (int32_t tile = 0; tile < n; tile += BLOCK_THREADS) {
            int32_t p = tile + (int32_t)threadIdx.x;
            int32_t hit = p < n && bt_ofcolor_hit(&v, it, p) ? 1 : 0, rank, total;
            Scan(tmp).ExclusiveSum(hit, rank, total);
            if (hit)
                dst[base + rank] = p;
            __syncthreads(); /* tmp and base are reused */
            if (threadIdx.x == 0)
                base += total;
            __syncthreads();
        }
        if (threadIdx.x == 0)
            res[k] = base;
    }
}

/* compress: one block per item. The kept rows, then the kept columns, are
 * compacted in ascending order into the item's lists by a block-wide
 * exclusive scan per tile of BLOCK_THREADS lines (each thread tests its
 * line's uniformity); after a barrier every thread gathers kept cells;
 * res[k] = the shape (layout: bt_compress_lists). */
template <int BLOCK_THREADS>
__global__ void __launch_bounds__(BLOCK_THREADS)
compress_kernel(BtView v, const BtItem *items, int64_t nitems, int32_t *out, int64_t *res)
{
    using Scan = cub::BlockScan<int32_t, BLOCK_THREADS>;
    __shared__ typename Scan::TempStorage tmp;
    __shared__ int32_t kept[2]; /* rows, columns kept so far */
    for (int64_t k = blockIdx.x; k < nitems; k += gridDim.x) {
        const BtItem *it = &items[k];
        if (threadIdx.x == 0)
            kept[0] = kept[1] = 0;
        __syncthreads();
        for (int side = 0; side < 2; side++) {
            int32_t n = side ? it->a.w : it->a.h;
            int32_t *list = bt_compress_lists(out, it, side);
            for (int32_t tile = 0; tile < n; tile += BLOCK_THREADS) {
                int32_t x = tile + (int32_t)threadIdx.x;
                int32_t keep = x < n && !bt_line_uniform(&v, it, side, x) ? 1 : 0, rank, total;
                Scan(tmp).ExclusiveSum(keep, rank, total);
                if (keep)
                    list[kept[side] + rank] = x;
                __syncthreads(); /* tmp and kept are reused */
                if (threadIdx.x == 0)
                    kept[side] += total;
                __syncthreads();
            }
        }
        /* the lists are complete and visible (the barriers order global
         * memory within the block) */
        int32_t nh = kept[0], nw = kept[1];
        const int32_t *rows = bt_compress_lists(out, it, 0), *cols = bt_compress_lists(out, it, 1);
        int32_t *dst = out + it->out.off;
        for (int64_t t = threadIdx.x; t < (int64_t)nh * nw; t += BLOCK_THREADS)
            dst[t] = bt_compress_cell(&v, it, rows, cols, nw, t);
        if (threadIdx.x == 0)
            res[k] = bt_compress_shape(nh, nw);
        __syncthreads(); /* kept is reset for the next item */
    }
}

static unsigned blocks_for(int64_t work, int64_t per_block)
{
    int64_t b = (work + per_block - 1) / per_block;
    return (unsigned)(b < 1 ? 1 : b > kMaxBlocks ? kMaxBlocks : b);
}

/* ---- one run: device buffers freed on every path ---- */

class DevRun {
  public:
    DevRun(const BtBatch *b, BtDeviceStats *st) : b_(b), st_(st) {}
    ~DevRun()
    {
        for (int k = 0; k < nbufs_; k++)
            cudaFree(bufs_[k]);
    }
    cudaError_t run();
    const char *where() const { return where_; }

  private:
    cudaError_t alloc(void **p, size_t bytes);
    cudaError_t upload(void **dst, const void *src, size_t bytes);
    cudaError_t download(void *dst, const void *src, size_t bytes);
    cudaError_t histograms();
    cudaError_t marks();
    cudaError_t map();
    cudaError_t reduce();
    cudaError_t blocks();
    cudaError_t launched(const char *what);

    const BtBatch *b_;
    BtDeviceStats *st_;
    void *bufs_[8] = {};
    int nbufs_ = 0;
    const char *where_ = "";
    BtItem *items_ = nullptr;
    const int32_t *cells_ = nullptr; /* the store's, not ours */
    int32_t *mark_ = nullptr;
    BtPatch *patch_ = nullptr;
    BtHist *hist_ = nullptr;
};

#define DEV_TRY(what, expr) do { \
        cudaError_t e_ = (expr); \
        if (e_ != cudaSuccess) { where_ = (what); return e_; } \
    } while (0)

cudaError_t DevRun::alloc(void **p, size_t bytes)
{
    if (nbufs_ == (int)(sizeof bufs_ / sizeof bufs_[0]))
        return cudaErrorMemoryAllocation;
    cudaError_t e = cudaMalloc(p, bytes ? bytes : 16);
    if (e == cudaSuccess)
        bufs_[nbufs_++] = *p;
    return e;
}

cudaError_t DevRun::upload(void **dst, const void *src, size_t bytes)
{
    cudaError_t e = alloc(dst, bytes);
    if (e != cudaSuccess || !bytes)
        return e;
    return cudaMemcpy(*dst, src, bytes, cudaMemcpyHostToDevice);
}

cudaError_t DevRun::download(void *dst, const void *src, size_t bytes)
{
    if (!bytes)
        return cudaSuccess;
    return cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToHost);
}

cudaError_t DevRun::launched(const char *what)
{
    st_->launches++;
    DEV_TRY(what, cudaGetLastError());
    return cudaSuccess;
}

cudaError_t DevRun::histograms()
{
    DEV_TRY("histogram buffer", alloc((void **)&hist_, (size_t)b_->nitems * sizeof(BtHist)));
    auto in = thrust::make_transform_iterator(cells_, OneHot());
    auto begin = thrust::make_transform_iterator(items_, SegBegin());
    auto end = thrust::make_transform_iterator(items_, SegEnd());
    size_t temp_bytes = 0;
    void *temp = nullptr;
    DEV_TRY("segmented reduce (size)", cub::DeviceSegmentedReduce::Reduce(
                                            temp, temp_bytes, in, hist_, b_->nitems, begin, end, HistAdd(),
                                            bt_hist_zero()));
    DEV_TRY("segmented reduce temp", alloc(&temp, temp_bytes));
    DEV_TRY("segmented reduce", cub::DeviceSegmentedReduce::Reduce(temp, temp_bytes, in, hist_, b_->nitems,
                                                                   begin, end, HistAdd(), bt_hist_zero()));
    return launched("segmented reduce launch");
}

cudaError_t DevRun::marks()
{
    DEV_TRY("mark buffer", alloc((void **)&mark_, (size_t)b_->nout * sizeof(int32_t)));
    DEV_TRY("mark init", cudaMemset(mark_, 0xff, (size_t)b_->nout * sizeof(int32_t))); /* -1 */
    if (!b_->npatch)
        return cudaSuccess;
    mark_kernel<kBlockThreads><<<blocks_for(b_->npatch, kBlockThreads), kBlockThreads>>>(items_, patch_,
                                                                                         b_->npatch, mark_);
    return launched("mark kernel");
}

cudaError_t DevRun::map()
{
    BtView v = {cells_, patch_, mark_, hist_};
    map_kernel<kBlockThreads, kItemsPerThread>
        <<<blocks_for(b_->nout, (int64_t)kBlockThreads * kItemsPerThread), kBlockThreads>>>(
            b_->kind, v, items_, b_->nitems, b_->nout, b_->out);
    DEV_TRY("map kernel", launched("map kernel"));
    return cudaSuccess;
}

cudaError_t DevRun::reduce()
{
    int64_t *res = nullptr;
    DEV_TRY("result buffer", alloc((void **)&res, (size_t)b_->nitems * sizeof(int64_t)));
    reduce_kernel<kBlockThreads><<<blocks_for(b_->nitems, kBlockThreads), kBlockThreads>>>(
        b_->kind, items_, hist_, b_->nitems, res);
    DEV_TRY("reduce kernel", launched("reduce kernel"));
    DEV_TRY("download results", download(b_->res, res, (size_t)b_->nitems * sizeof(int64_t)));
    return cudaSuccess;
}

cudaError_t DevRun::blocks()
{
    int32_t *out = b_->out;
    int64_t *res = nullptr;
    DEV_TRY("result buffer", alloc((void **)&res, (size_t)b_->nitems * sizeof(int64_t)));
    BtView v = {cells_, patch_, mark_, hist_};
    unsigned nb = blocks_for(b_->nitems, 1);
    if (b_->kind == BK_OBJECTS)
        objects_kernel<kBlockThreads><<<nb, kBlockThreads>>>(v, items_, b_->nitems, out, res);
    else if (b_->kind == BK_COMPRESS)
        compress_kernel<kBlockThreads><<<nb, kBlockThreads>>>(v, items_, b_->nitems, out, res);
    else
        ofcolor_kernel<kBlockThreads><<<nb, kBlockThreads>>>(v, items_, b_->nitems, out, res);
    DEV_TRY("block kernel", launched("block kernel"));
    if (bt_kind_res(b_->kind))
        DEV_TRY("download results", download(b_->res, res, (size_t)b_->nitems * sizeof(int64_t)));
    return cudaSuccess;
}

cudaError_t DevRun::run()
{
    cells_ = b_->cells;
    DEV_TRY("upload items", upload((void **)&items_, b_->items, (size_t)b_->nitems * sizeof(BtItem)));
    DEV_TRY("upload patch", upload((void **)&patch_, b_->patch, (size_t)b_->npatch * sizeof(BtPatch)));
    if (bt_kind_counts(b_->kind)) {
        cudaError_t e = histograms();
        if (e != cudaSuccess)
            return e;
    }
    if (bt_kind_marks(b_->kind)) {
        cudaError_t e = marks();
        if (e != cudaSuccess)
            return e;
    }
    if (bt_kind_reduces(b_->kind))
        return reduce();
    if (bt_kind_blocks(b_->kind))
        return blocks();
    return b_->nout ? map() : cudaSuccess;
}

} // namespace

extern "C" int bt_device_run(const BtBatch *b, BtDeviceStats *st, char *msg, size_t msglen)
{
    if (bt_device_count() == 0) {
        if (msg && msglen)
            snprintf(msg, msglen, "no CUDA device");
        return -1;
    }
    cudaError_t e;
    const char *where;
    {
        DevRun r(b, st);
        e = r.run();
        where = r.where();
    }
    if (e != cudaSuccess) {
        (void)cudaGetLastError(); /* clear a non-sticky error for the next run */
        if (msg && msglen)
            snprintf(msg, msglen, "CUDA error in %s: %s", where, cudaGetErrorString(e));
        return -1;
    }
    return 0;
}
