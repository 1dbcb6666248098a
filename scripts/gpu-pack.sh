#!/usr/bin/env bash
# Packs into .gpu/ (git-ignored) everything a run on the GPU machine needs, since that machine has no Java
# and no network:
#   .gpu/jre.tar.xz  a JDK 25 runtime cut down by jlink to the modules jtorch uses
#   .gpu/lib/        every module's jar, its test classes as a jar, all test-scope dependencies and the
#                    JUnit console launcher of the project's JUnit version
#   .gpu/run.sh      the launcher used there: `.gpu/run.sh test [JUnit options]` or `.gpu/run.sh main CLASS [ARGS]`
# Run from anywhere on the build machine; then run scripts/gpu-verify.sh there with .gpu/ carried along.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jdk=${JDK25:-}
if [ -z "$jdk" ]; then
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/*25*; do
    if [ -n "$c" ] && [ -x "$c/bin/jlink" ] && "$c/bin/java" -version 2>&1 | grep -q '"2[5-9]'; then jdk=$c; break; fi
  done
fi
[ -n "$jdk" ] || { echo "gpu-pack: no JDK 25 with jlink found; set JDK25=/path/to/jdk" >&2; exit 2; }
mkdir -p .gpu
if [ ! -s .gpu/jre.tar.xz ]; then
  rm -rf .gpu/jre
  "$jdk/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.zipfs,jdk.incubator.vector \
    --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output .gpu/jre
  rm -f .gpu/jre/lib/server/classes*.jsa     # the CDS archive is large and rebuilt on demand
  tar -C .gpu/jre -cJf .gpu/jre.tar.xz . && rm -rf .gpu/jre
fi
rm -rf .gpu/lib && mkdir -p .gpu/lib
dep=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
JAVA_HOME=$jdk ./mvnw -q -B -DskipTests package "$dep:copy-dependencies" -DincludeScope=test \
  -DoutputDirectory="$root/.gpu/lib" -Dmdep.useBaseVersion=true
for target in */target; do
  module=$(dirname "$target")
  for jar in "$target"/*.jar; do
    case "$jar" in *-sources.jar|*-javadoc.jar|*'*'*) ;; *) cp "$jar" .gpu/lib/ ;; esac
  done
  if [ -d "$target/test-classes" ] && [ -n "$(ls -A "$target/test-classes")" ]; then
    "$jdk/bin/jar" cf ".gpu/lib/$module-tests.jar" -C "$target/test-classes" .
  fi
done
# The console launcher bundles the JUnit platform, so the separate platform jars would be duplicates.
api=$(ls .gpu/lib/junit-jupiter-api-*.jar | head -1)
version=$(basename "$api" .jar); version=${version#junit-jupiter-api-}
case "$version" in 5.*) platform="1.${version#5.}" ;; *) platform=$version ;; esac
JAVA_HOME=$jdk ./mvnw -q -B "$dep:copy" -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform" \
  -DoutputDirectory="$root/.gpu/lib"
for jar in .gpu/lib/junit-jupiter-*.jar .gpu/lib/junit-platform-*.jar .gpu/lib/opentest4j-*.jar .gpu/lib/apiguardian-*.jar; do
  case "$jar" in *console-standalone*) ;; *) rm -f "$jar" ;; esac
done
cat > .gpu/run.sh <<'RUN'
#!/usr/bin/env bash
# On the GPU machine, from the project root: .gpu/run.sh test [JUnit options] | .gpu/run.sh main CLASS [ARGS]
set -euo pipefail
[ -x /tmp/jre/bin/java ] || { mkdir -p /tmp/jre && tar -C /tmp/jre -xJf .gpu/jre.tar.xz; }
export JAVA_HOME=/tmp/jre PATH=/tmp/jre/bin:$PATH
export LD_LIBRARY_PATH=/usr/local/nvidia/lib64:/usr/local/cuda/lib64:${LD_LIBRARY_PATH:-}
flags=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -XX:+UseParallelGC)
mode=${1:-test}; shift || true
case "$mode" in
  test) classpath=$(ls .gpu/lib/*.jar | grep -v console-standalone | tr '\n' ':')
        exec java "${flags[@]}" -jar .gpu/lib/junit-platform-console-standalone-*.jar execute \
          --class-path "$classpath" --scan-class-path --details=tree --disable-banner "$@" ;;
  main) main=$1; shift; exec java "${flags[@]}" -cp ".gpu/lib/*" "$main" "$@" ;;
  *) echo "run.sh: test [JUnit options] | main CLASS [ARGS]" >&2; exit 2 ;;
esac
RUN
chmod +x .gpu/run.sh
du -sh .gpu | awk '{print "gpu-pack: .gpu is " $1 " (a GPU run carries at most 64 MiB)"}'
