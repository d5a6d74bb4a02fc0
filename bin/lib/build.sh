# Sourced by the scripts in bin/: builds a module's runnable jar when it is missing or older than
# any source or POM of the repository, so a fresh clone works with one command.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

require_tools() {
  command -v java >/dev/null 2>&1 || { echo "$(basename "$0"): java (17 or newer) is not on the PATH" >&2; exit 1; }
}

# build_if_stale MODULE JAR [WATCHED...]: WATCHED are the folders whose sources the jar is built
# from (relative to the repository; default: all of it).
build_if_stale() {
  local module="$1" jar="$2" newer="" watched=()
  shift 2
  for dir in "${@:-.}"; do watched+=("$ROOT/$dir"); done
  if [[ -f "$jar" ]]; then
    newer="$(find "${watched[@]}" \( -path "$ROOT/.git" -o -path "$ROOT/.local" -o -name target \) -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)"
  fi
  if [[ ! -f "$jar" || -n "$newer" ]]; then
    command -v mvn >/dev/null 2>&1 || { echo "$(basename "$0"): Maven 3.8+ is needed to build $module (mvn is not on the PATH)" >&2; exit 1; }
    local reason="first run"
    [[ -n "$newer" ]] && reason="changed: ${newer#"$ROOT"/}"
    echo "Building $module and what it needs ($reason) ..." >&2
    (cd "$ROOT" && mvn -q -B -Dstyle.color=never -DskipTests -pl "$module" -am package) >&2
    # The jar plugin keeps an unchanged jar's old time; mark it as built from the current sources.
    touch "$jar"
  fi
}
