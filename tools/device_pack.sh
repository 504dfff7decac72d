#!/usr/bin/env bash
# device_pack.sh: gather in .device/ what the GPU checks need on a lent GPU
# machine (the device tool of this workplace), which starts bare, cannot
# fetch packages, and receives only the repository: the binaries built here
# (sm_90 kernels: H100, H200), the shared libraries they need beyond glibc
# (cJSON, Criterion and its dependencies), the part of ../shared the tests
# and benchmarks read, and the cached oracle rows. Then, on the device:
#
#   bash tools/device_check.sh        (with .device carried; see that script)
#
#   SHARED=../shared tools/device_pack.sh
set -eu
SHARED=${SHARED:-../shared}
D=.device
make -j2 battrace build/battrace-tests >/dev/null
rm -rf "$D"
mkdir -p "$D/bin" "$D/lib" "$D/shared/arc" "$D/shared/reference" "$D/shared/tools" "$D/pyref"
cp build/battrace build/battrace-tests "$D/bin/"
# every library the two binaries load, except glibc's own (the device has a
# newer glibc, which runs binaries built against this one)
for b in "$D/bin/battrace" "$D/bin/battrace-tests"; do
    ldd "$b" | awk '$3 ~ /^\// {print $3}'
done | sort -u | grep -vE '/(libc|libm|libpthread|libdl|librt|libresolv|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -L "$lib" "$D/lib/"; done
if [ -d "$SHARED/arc/training" ]; then
    cp -r "$SHARED/arc/training" "$SHARED/arc/evaluation" "$D/shared/arc/"
    cp -r "$SHARED/reference/arc-dsl" "$D/shared/reference/"
    cp "$SHARED"/tools/*.py "$D/shared/tools/"
    [ -f "$SHARED/SPEC.md" ] && cp "$SHARED/SPEC.md" "$D/shared/"
else
    echo "device_pack: $SHARED not found: the device will skip the tests and checks that need it"
fi
[ -d out/pyref ] && cp out/pyref/*.jsonl "$D/pyref/" 2>/dev/null || true
du -sh "$D"
echo "device_pack: run on the device with carry [\".device\"]: bash tools/device_check.sh"
