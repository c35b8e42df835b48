# Sourced by ./tongyeok and scripts/test: sets JAVA_HOME to a JDK 25 or later, or exits with one line.
java_major() { # the major version of the java binary $1, or nothing
  # A JDK's release file names its version; reading it is instant, starting java is not.
  local release
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" | head -1
  else
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
  fi
}

find_jdk() {
  local candidates=() home major d
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major="$(java_major "$home/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      echo "$home"
      return 0
    fi
  done
  return 1
}

if ! TONGYEOK_JDK="$(find_jdk)"; then
  echo "tongyeok: no JDK 25 found (looked at JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks); install one or set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME="$TONGYEOK_JDK"
