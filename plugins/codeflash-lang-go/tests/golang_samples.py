"""Go code shared by the tests: a module the way the client sends it (its read-writable layout)."""

SAMPLE_PATH = "textx/join.go"

JOIN_REPEAT = """package textx

// JoinRepeat concatenates s n times, with sep between the copies.
func JoinRepeat(s string, sep string, n int) string {
\tout := ""
\tfor i := 0; i < n; i++ {
\t\tif i > 0 {
\t\t\tout += sep
\t\t}
\t\tout += s
\t}
\treturn out
}
"""

JOIN_REPEAT_BUILDER = """package textx

import "strings"

// JoinRepeat concatenates s n times, with sep between the copies.
func JoinRepeat(s string, sep string, n int) string {
\tif n <= 0 {
\t\treturn ""
\t}
\tvar b strings.Builder
\tb.Grow(len(s)*n + len(sep)*(n-1))
\tfor i := 0; i < n; i++ {
\t\tif i > 0 {
\t\t\tb.WriteString(sep)
\t\t}
\t\tb.WriteString(s)
\t}
\treturn b.String()
}
"""

JOIN_REPEAT_TESTS = """package textx

import "testing"

func TestJoinRepeat_Basic(t *testing.T) {
\tif got := JoinRepeat("ab", ",", 3); got != "ab,ab,ab" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeat_Zero(t *testing.T) {
\tif got := JoinRepeat("x", "-", 0); got != "" {
\t\tt.Fatalf("got %q", got)
\t}
}

func TestJoinRepeat_Large(t *testing.T) {
\tgot := JoinRepeat("xyz", ";", 2000)
\tif len(got) != 3*2000+1999 {
\t\tt.Fatalf("len %d", len(got))
\t}
}
"""
