#!/bin/sh
# Stands in for a virus scanner (ORIENTIR_SCAN_COMMAND, e.g. clamdscan) in the test stack:
# like clamdscan, exit 1 for a file holding the EICAR test signature, 0 for a clean one,
# 2 when the file cannot be read.
[ -r "$1" ] || exit 2
if grep -q 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE' "$1"; then exit 1; fi
exit 0
