#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang in build/fuzz and runs each over a copy of its seed corpus
# (fuzz/corpus/<target>/), the targets in parallel on every core. Fails when any target crashes, reports
# a sanitizer error or breaks a round trip; the input is then in build/fuzz/artifacts/<target>/.
#
#   scripts/fuzz.sh            200000 runs per target (what scripts/test.sh runs)
#   scripts/fuzz.sh 10000000   that many runs per target
#   scripts/fuzz.sh 600s       600 seconds per target
#   FUZZ_TARGETS="fuzz_request" scripts/fuzz.sh 600s
#
# The corpus copies grow in build/fuzz/corpus/; the repository's seeds are not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

budget=${1:-200000}
if [[ $budget =~ ^[0-9]+s$ ]]; then
  limit=(-max_total_time="${budget%s}")
elif [[ $budget =~ ^[0-9]+$ ]]; then
  limit=(-runs="$budget")
else
  echo "usage: $0 [runs | <seconds>s]" >&2
  exit 2
fi

# FUZZ_TARGETS="fuzz_request ..." runs only those.
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_request fuzz_server_event fuzz_discovery fuzz_longpoll_body}"
build=build/fuzz
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNATTER_BUILD_FUZZERS=ON -DNATTER_WARNINGS_AS_ERRORS=ON -DNATTER_BUILD_TESTS=OFF -DNATTER_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target "${targets[@]}"

# Envelopes are limited to 64 KiB, datagrams to 512 bytes: inputs a little over the limits reach the checks.
declare -A max_len=([fuzz_request]=8192 [fuzz_server_event]=8192 [fuzz_discovery]=1024 [fuzz_longpoll_body]=8192)
# A failing round trip aborts; UBSan reports abort too (-fno-sanitize-recover); leaks fail the run.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

run() {
  local t=$1
  local corpus=$build/corpus/$t artifacts=$build/artifacts/$t/
  mkdir -p "$corpus" "$artifacts"
  cp -n fuzz/corpus/"$t"/* "$corpus"/
  local rc=0
  "$build/fuzz/$t" "${limit[@]}" -max_len="${max_len[$t]}" -dict=fuzz/json.dict -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" >"$build/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$build/$t.rc"
}

for t in "${targets[@]}"; do
  rm -f "$build/$t.rc"
  while (($(jobs -rp | wc -l) >= $(nproc))); do # at most one target per core
    wait -n || true
  done
  run "$t" &
done
wait

failed=0
for t in "${targets[@]}"; do
  status=ok
  if [[ $(cat "$build/$t.rc" 2>/dev/null) != 0 ]]; then
    status=FAILED
    failed=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/$t.log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/$t.log")
  secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$build/$t.log")
  corpus=$(sed -n 's/^#[0-9]*[[:space:]]*DONE .* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\) .*/\1/p' "$build/$t.log")
  echo "fuzz: $t $status: ${runs:-?} runs in ${secs:-?} s (${rate:-?} exec/s), corpus ${corpus:-?} (inputs/size)"
  if [[ $status == FAILED ]]; then
    tail -n 60 "$build/$t.log" >&2
  fi
done
exit "$failed"
