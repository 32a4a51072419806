"""The code of the captured client traffic (client-traffic-samples-js.json), as requests."""

from codeflash_engine.domain import SourceFile, Task, TaskRequest

JS_PATH = "src/dups.js"
JS_ORIGINAL = """\
/**
 * Return the values that occur more than once, in ascending order.
 */
function findDuplicates(items) {
  const duplicates = [];
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (items[i] === items[j] && !duplicates.includes(items[i])) {
        duplicates.push(items[i]);
      }
    }
  }
  return duplicates.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
"""
JS_FASTER = """\
/**
 * Return the values that occur more than once, in ascending order.
 */
function findDuplicates(items) {
  const seen = new Set();
  const dups = new Set();
  for (const item of items) {
    if (seen.has(item)) dups.add(item);
    else seen.add(item);
  }
  return [...dups].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

module.exports = { findDuplicates };
"""
TS_PATH = "src/stats.ts"
TS_ORIGINAL = """\
class Histogram {
  private readonly values: T[];

  constructor(values: Iterable<T>) {
    this.values = Array.from(values);
  }

  /** Return the most frequent value (the first one seen wins ties). */
  mostCommon(): T | undefined {
    let best: T | undefined = undefined;
    let bestCount = 0;
    for (const value of this.values) {
      const count = this.values.filter((v) => v === value).length;
      if (count > bestCount) {
        best = value;
        bestCount = count;
      }
    }
    return best;
  }
}
"""
TS_METHOD = """\
  /** Return the most frequent value (the first one seen wins ties). */
  mostCommon(): T | undefined {
    const counts = new Map<T, number>();
    for (const value of this.values) {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    let best: T | undefined = undefined;
    let bestCount = 0;
    for (const [value, count] of counts) {
      if (count > bestCount) {
        best = value;
        bestCount = count;
      }
    }
    return best;
  }
"""
TS_FASTER = (
    "export class Histogram<T> {\n  private readonly values: T[];\n\n"
    "  constructor(values: Iterable<T>) {\n    this.values = Array.from(values);\n  }\n\n" + TS_METHOD + "}\n"
)


def js_request(task: Task = Task.OPTIMIZE, code: str = JS_ORIGINAL, **details: object) -> TaskRequest:
    return TaskRequest(
        task=task,
        language="javascript",
        trace_id="test",
        files=(SourceFile(JS_PATH, code),),
        language_version="20.20.2",
        details=details,
    )


def ts_request(task: Task = Task.OPTIMIZE, code: str = TS_ORIGINAL, **details: object) -> TaskRequest:
    return TaskRequest(
        task=task,
        language="typescript",
        trace_id="test",
        files=(SourceFile(TS_PATH, code),),
        language_version="20.20.2",
        details=details,
    )
