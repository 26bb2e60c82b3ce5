#!/usr/bin/env bash
# Scale benchmark of lifeboat (docs/performance.md).
#
# Builds the release binary, generates inventories of 100 to 100,000 assets
# (`cargo bench --bench scale -- gen`), and for each size measures `lifeboat
# check` and `lifeboat compile` into a fresh directory (median wall time of 5 runs,
# 3 from 100,000 assets; peak RSS), a recompile into the up-to-date tree (as
# many runs), the output's size, and `terraform fmt -recursive` on the tree
# lifeboat wrote. Prints
# a markdown table, the scaling exponents between 1,000 and the largest size, and
# whether the targets are met. Installs what it needs (GNU time).
#
# Usage:   benches/scale.sh [SIZES...]        default: 100 1000 10000 100000
# Env:     SEED=1  RUNS=5  RUNS_LARGE=3  FMT_MAX=10000  KEEP=1 (keep the work directory)
#          TERRAFORM=path (default: `../shared/tools/tf-validate/tf-validate path`)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export LC_ALL=C CARGO_TERM_COLOR=never

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000 100000)
seed=${SEED:-1}
runs=${RUNS:-5}
runs_large=${RUNS_LARGE:-3}
# terraform fmt is timed up to this size: Terraform 1.11's fmt of the
# 100,000-asset tree (480 MB) grew past 20 GB of RSS in 7 minutes on the 2-core
# machine and had to be killed (docs/performance.md). FMT_MAX=100000 to try.
fmt_max=${FMT_MAX:-10000}

log() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (apt-get install time)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  $sudo apt-get install -y -qq time >&2
fi
# terraform: $TERRAFORM, else the binary tf-validate provides.
tf=${TERRAFORM:-}
tfv=${TF_VALIDATE:-$root/../shared/tools/tf-validate/tf-validate}
if [ -z "$tf" ] && [ -x "$tfv" ]; then tf=$("$tfv" path 2>/dev/null || true); fi
if [ -z "$tf" ] || [ ! -x "$tf" ]; then
  log "terraform not found (set TERRAFORM or TF_VALIDATE): fmt column skipped"
  tf=""
fi

log "building lifeboat (release) and the generator"
cargo build --release --locked --quiet
cargo bench --locked --quiet --bench scale --no-run 2>/dev/null
lifeboat="$root/target/release/lifeboat"

work=$(mktemp -d "${TMPDIR:-/tmp}/lifeboat-scale.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then log "work directory: $work"; else trap 'rm -rf "$work"' EXIT; fi

# --- measuring ---------------------------------------------------------------
now_ns() { date +%s%N; }

# run_once OUT_VAR_PREFIX CMD...: wall seconds and peak RSS (KiB) of one run.
# Wall time is taken around GNU time (which adds ~1 ms), RSS from its %M.
run_once() {
  local t0 t1 status
  t0=$(now_ns)
  set +e
  /usr/bin/time -f '%M' -o "$work/time.out" "$@" >"$work/stdout" 2>"$work/stderr"
  status=$?
  set -e
  t1=$(now_ns)
  if [ $status -ne 0 ]; then
    log "FAILED (exit $status): $*"
    tail -n 20 "$work/stderr" >&2
    exit 1
  fi
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
  rss=$(tail -n 1 "$work/time.out")
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { printf '%s\n' "$@" | sort -g | tail -n 1; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# measure N PREPARE CMD...: median wall (s) and max RSS (KiB) over N runs;
# PREPARE (a function name or `:`) runs untimed before each run.
measure() {
  local n=$1 prepare=$2; shift 2
  local walls=() rsss=() i
  for ((i = 0; i < n; i++)); do
    $prepare
    run_once "$@"
    walls+=("$wall"); rsss+=("$rss")
  done
  m_wall=$(median "${walls[@]}")
  m_rss=$(max "${rsss[@]}")
}

fresh_out() { rm -rf "$work/out"; }

# --- the runs ----------------------------------------------------------------
declare -A T_CHECK R_CHECK T_COMPILE R_COMPILE T_RECOMPILE R_RECOMPILE T_FMT FMT_CHANGED
declare -A IN_BYTES OUT_BYTES OUT_FILES MAIN_BYTES MODULES RESOURCES
for n in "${sizes[@]}"; do
  r=$runs        # check, compile and recompile
  r2=3           # terraform fmt (90 s at 100,000 assets: one run there)
  [ "$n" -lt 100000 ] || { r=$runs_large; r2=1; }
  inv="$work/inv-$n"
  rm -rf "$inv"
  cargo bench --locked --quiet --bench scale -- gen "$n" "$seed" "$inv" 2>/dev/null
  IN_BYTES[$n]=$(cat "$inv"/* | wc -c)
  log "== $n assets ($r runs)"

  measure "$r" : "$lifeboat" check "$inv"
  T_CHECK[$n]=$m_wall; R_CHECK[$n]=$m_rss
  log "   check      ${m_wall}s  $(mb "$m_rss") MB"

  measure "$r" fresh_out "$lifeboat" compile "$inv" -o "$work/out"
  T_COMPILE[$n]=$m_wall; R_COMPILE[$n]=$m_rss
  log "   compile    ${m_wall}s  $(mb "$m_rss") MB"

  # Recompiling into the up-to-date tree: the everyday CI case (reads the old
  # manifest, compares every file, writes nothing).
  measure "$r" : "$lifeboat" compile "$inv" -o "$work/out"
  T_RECOMPILE[$n]=$m_wall; R_RECOMPILE[$n]=$m_rss
  log "   recompile  ${m_wall}s"

  OUT_BYTES[$n]=$(find "$work/out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  OUT_FILES[$n]=$(find "$work/out" -type f | wc -l)
  MAIN_BYTES[$n]=$(wc -c <"$work/out/main.tf")
  MODULES[$n]=$(grep -c '^module "' "$work/out/main.tf" || true)
  RESOURCES[$n]=$(grep -c '^resource "' "$work/out/main.tf" || true)

  if [ -n "$tf" ] && [ "$n" -gt "$fmt_max" ]; then
    log "   tf fmt     skipped above FMT_MAX=$fmt_max assets"
    T_FMT[$n]="n/a"; FMT_CHANGED[$n]="n/a"
  elif [ -n "$tf" ]; then
    # The first run tells whether lifeboat's output is already fmt-clean (it
    # lists the files it rewrote); the timed runs then see the same tree.
    FMT_CHANGED[$n]=$("$tf" fmt -recursive "$work/out" | wc -l)
    measure "$r2" : "$tf" fmt -recursive "$work/out"
    T_FMT[$n]=$m_wall
    log "   tf fmt     ${m_wall}s  (${FMT_CHANGED[$n]} files changed by the first run)"
  else
    T_FMT[$n]="n/a"; FMT_CHANGED[$n]="n/a"
  fi
  [ "${KEEP:-}" = 1 ] || rm -rf "$inv"
done

# --- report ------------------------------------------------------------------
per() { awk -v a="$1" -v n="$2" -v p="${3:-2}" 'BEGIN { printf "%.*f", p, a / n }'; }
exponent() { # t1 t2 n1 n2
  awk -v a="$1" -v b="$2" -v n1="$3" -v n2="$4" 'BEGIN { if (a > 0 && n2 != n1) printf "%.2f", log(b / a) / log(n2 / n1); else print "n/a" }'
}

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
echo
echo "Machine: $(nproc) CPUs ($cpu), $mem RAM; lifeboat $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet -- src templates modules 2>/dev/null || echo '+changes'), seed $seed"
echo
echo "| assets | input | check | check RSS | compile | compile RSS | recompile | terraform fmt -recursive | output | files | main.tf bytes/asset | modules/asset | resources/asset |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  fmt_cell="${T_FMT[$n]}"
  [ "$fmt_cell" = n/a ] || fmt_cell="${fmt_cell} s"
  printf '| %s | %s KB | %s s | %s MB | %s s | %s MB | %s s | %s | %s KB | %s | %s | %s | %s |\n' \
    "$n" "$(( IN_BYTES[$n] / 1024 ))" "${T_CHECK[$n]}" "$(mb "${R_CHECK[$n]}")" \
    "${T_COMPILE[$n]}" "$(mb "${R_COMPILE[$n]}")" "${T_RECOMPILE[$n]}" "$fmt_cell" \
    "$(( OUT_BYTES[$n] / 1024 ))" "${OUT_FILES[$n]}" "$(per "${MAIN_BYTES[$n]}" "$n" 0)" \
    "$(per "${MODULES[$n]}" "$n" 3)" "$(per "${RESOURCES[$n]}" "$n" 3)"
done
echo
echo "Times are wall clock, medians of $runs runs for check, compile and recompile ($runs_large from 100,000 assets) and of 3 runs for terraform fmt (1 from 100,000); RSS is the largest peak."

# Scaling exponents between 1,000 and the largest size measured (1.0 is linear).
big=$(printf '%s\n' "${sizes[@]}" | sort -g | tail -n 1)
if [ -n "${T_CHECK[1000]:-}" ] && [ "$big" -gt 1000 ]; then
  echo
  echo "Scaling exponent from 1,000 to $big assets (log(t2/t1)/log(n2/n1), 1.0 is linear):"
  echo "check $(exponent "${T_CHECK[1000]}" "${T_CHECK[$big]}" 1000 "$big"), compile $(exponent "${T_COMPILE[1000]}" "${T_COMPILE[$big]}" 1000 "$big"), recompile $(exponent "${T_RECOMPILE[1000]}" "${T_RECOMPILE[$big]}" 1000 "$big")."
fi

# Output shape: bytes and blocks per asset must not grow with N.
small=$(printf '%s\n' "${sizes[@]}" | sort -g | head -n 1)
echo
awk -v b1="${MAIN_BYTES[$small]}" -v n1="$small" -v b2="${MAIN_BYTES[$big]}" -v n2="$big" \
  -v m1="$(( MODULES[$small] + RESOURCES[$small] ))" -v m2="$(( MODULES[$big] + RESOURCES[$big] ))" 'BEGIN {
  r = (b2 / n2) / (b1 / n1)
  printf "Output shape: main.tf bytes per asset %d at %d assets, %d at %d (ratio %.2f): %s; ", b1 / n1, n1, b2 / n2, n2, r, (r > 0.8 && r < 1.25) ? "constant" : "NOT constant"
  printf "module and resource blocks per asset %.3f and %.3f: %s.\n", m1 / n1, m2 / n2, (m2 / n2 <= m1 / n1 + 0.001) ? "does not grow" : "GROWS"
}'

# Targets (issue 20, "Performance: 100,000 assets in under 4 s and 500 MB, 10,000 in
# under 0.5 s").
target() { # description ok
  if [ "$2" = 1 ]; then echo "- [x] $1"; else echo "- [ ] $1"; fi
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "n/a" && a + 0 < b + 0) ? 1 : 0 }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "n/a" && a + 0 <= b + 0) ? 1 : 0 }'; }
echo
echo "Targets:"
[ -z "${T_COMPILE[10000]:-}" ] || target "compile of 10,000 assets under 0.5 s (${T_COMPILE[10000]} s)" "$(lt "${T_COMPILE[10000]}" 0.5)"
if [ -n "${T_COMPILE[100000]:-}" ]; then
  target "compile of 100,000 assets under 4 s (${T_COMPILE[100000]} s)" "$(lt "${T_COMPILE[100000]}" 4)"
  target "compile of 100,000 assets under 500 MB peak RSS ($(mb "${R_COMPILE[100000]}") MB)" "$(lt "${R_COMPILE[100000]}" 512000)"
  target "check of 100,000 assets under 2 s (${T_CHECK[100000]} s)" "$(lt "${T_CHECK[100000]}" 2)"
fi
if [ -n "${T_CHECK[1000]:-}" ] && [ "$big" -gt 1000 ]; then
  e=$(exponent "${T_COMPILE[1000]}" "${T_COMPILE[$big]}" 1000 "$big")
  target "scaling exponent of compile from 1,000 to $big assets at most 1.0 ($e)" "$(le "$e" 1.0)"
fi
ok=1
for n in "${sizes[@]}"; do
  [ "$(le "${T_RECOMPILE[$n]}" "${T_COMPILE[$n]}")" = 1 ] || ok=0
done
target "recompile of an up-to-date tree no slower than compile, at every size" "$ok"
if [ -n "$tf" ]; then
  ok=1
  for n in "${sizes[@]}"; do
    [ "$(lt "${T_FMT[$n]}" "${T_COMPILE[$n]}")" = 0 ] || ok=0
  done
  target "compile no slower than terraform fmt -recursive on its tree, at every size where fmt ran" "$ok"
fi
