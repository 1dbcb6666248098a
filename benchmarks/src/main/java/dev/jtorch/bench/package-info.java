/** JMH benchmarks for jtorch (run: ./mvnw -q -pl benchmarks -am compile exec:exec -Dbench). */
package dev.jtorch.bench;
