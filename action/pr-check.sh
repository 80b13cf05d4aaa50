#!/usr/bin/env bash
# The logic of action.yml, runnable anywhere: check the spec, look for drift, diff against the
# base branch, write a job summary and a pull-request comment body, and fail on the set levels.
#
# Inputs (environment; action.yml maps its inputs onto these):
#   SPECAGENT          the command to run (default: specagent)
#   PROTOTYPE_PATH     the prototype's folder (default: .)
#   SPEC_DIR           the folder holding SPEC.md and spec.json (default: $PROTOTYPE_PATH/spec)
#   BASE_REF           git revision to diff against, e.g. origin/main (empty: no diff)
#   FAIL_ON_CHECK      error | warning | never              (default: error)
#   FAIL_ON_DRIFT      comma list of changed,moved,vanished,unstated, or never
#                      (default: changed,vanished,unstated)
#   FAIL_ON_REMOVED    true | false: fail when the diff removes an item (default: false)
#   OUTPUT_DIR         where comment.md and the JSON reports go (default: ./.specagent-pr)
#   GITHUB_STEP_SUMMARY, GITHUB_OUTPUT  set by GitHub Actions; appended to when present
set -uo pipefail

SPECAGENT=${SPECAGENT:-specagent}
PROTOTYPE_PATH=${PROTOTYPE_PATH:-.}
SPEC_DIR=${SPEC_DIR:-$PROTOTYPE_PATH/spec}
BASE_REF=${BASE_REF:-}
FAIL_ON_CHECK=${FAIL_ON_CHECK:-error}
FAIL_ON_DRIFT=${FAIL_ON_DRIFT:-changed,vanished,unstated}
FAIL_ON_REMOVED=${FAIL_ON_REMOVED:-false}
OUTPUT_DIR=${OUTPUT_DIR:-./.specagent-pr}

mkdir -p "$OUTPUT_DIR"
comment="$OUTPUT_DIR/comment.md"
spec_md="$SPEC_DIR/SPEC.md"
spec_json="$SPEC_DIR/spec.json"
spec="$spec_md"
[ -f "$spec" ] || spec="$spec_json"
failed=()

{
  echo "## specagent"
  echo
} >"$comment"

if [ ! -f "$spec" ]; then
  echo "No spec found in \`$SPEC_DIR\`: run \`specagent draft $PROTOTYPE_PATH\` and commit it." >>"$comment"
  failed+=("no spec")
else
  # 1. check: is every citation real, every ID unique, every requirement testable?
  $SPECAGENT check "$spec" --repo "$PROTOTYPE_PATH" --format json --fail-on never >"$OUTPUT_DIR/check.json" 2>/dev/null
  $SPECAGENT check "$spec" --repo "$PROTOTYPE_PATH" --format text --fail-on "$FAIL_ON_CHECK" >"$OUTPUT_DIR/check.txt" 2>&1
  check_rc=$?
  {
    echo "### specagent check"
    echo
    echo '```'
    tail -n 40 "$OUTPUT_DIR/check.txt"
    echo '```'
    echo
  } >>"$comment"
  [ "$check_rc" -eq 0 ] || failed+=("check")

  # 2. drift: does the code still say what the spec cites, and nothing it leaves out?
  $SPECAGENT drift "$PROTOTYPE_PATH" --spec "$spec" --format json --fail-on never --quiet >"$OUTPUT_DIR/drift.json"
  $SPECAGENT drift "$PROTOTYPE_PATH" --spec "$spec" --format markdown --fail-on "$FAIL_ON_DRIFT" --quiet >>"$comment"
  drift_rc=$?
  echo >>"$comment"
  [ "$drift_rc" -eq 0 ] || failed+=("drift")

  # 3. diff: what the pull request changes in the spec, against the base branch.
  if [ -n "$BASE_REF" ]; then
    prefix=$(cd "$SPEC_DIR" && git rev-parse --show-prefix 2>/dev/null)
    base_spec="$BASE_REF:${prefix}spec.json"
    if (cd "$SPEC_DIR" && git cat-file -e "$base_spec" 2>/dev/null); then
      removed_flag=()
      [ "$FAIL_ON_REMOVED" = "true" ] && removed_flag=(--fail-on-removed)
      (cd "$SPEC_DIR" && $SPECAGENT diff "$base_spec" spec.json --format json) >"$OUTPUT_DIR/diff.json"
      (cd "$SPEC_DIR" && $SPECAGENT diff "$base_spec" spec.json --format markdown "${removed_flag[@]}") >>"$comment"
      diff_rc=$?
      [ "$diff_rc" -eq 0 ] || failed+=("diff: items removed")
    else
      echo "No spec on \`$BASE_REF\` to diff against: this pull request adds it." >>"$comment"
    fi
    echo >>"$comment"
  fi
fi

if [ ${#failed[@]} -eq 0 ]; then
  echo "**Result:** passed." >>"$comment"
else
  echo "**Result:** failed (${failed[*]})." >>"$comment"
fi

[ -n "${GITHUB_STEP_SUMMARY:-}" ] && cat "$comment" >>"$GITHUB_STEP_SUMMARY"
[ -n "${GITHUB_OUTPUT:-}" ] && echo "comment-file=$comment" >>"$GITHUB_OUTPUT"
echo "specagent: comment body in $comment"
[ ${#failed[@]} -eq 0 ] || { echo "specagent: failed: ${failed[*]}" >&2; exit 1; }
