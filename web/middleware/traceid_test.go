package middleware

import "testing"

func TestTraceIDOf(t *testing.T) {
	cases := []struct{ x, tp, want string }{
		{"trace-001", "", "trace-001"},
		{" lf:abc_1.2 ", "", "lf:abc_1.2"},
		{"", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736"},
		{"", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736"},
		{"bad id with spaces", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736"},
		{"", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", ""},
		{"", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", ""},
		{"", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01", ""},
		{"", "00-zzf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", ""},
		{"", "garbage", ""},
		{"<script>", "", ""},
	}
	for _, c := range cases {
		if got := TraceIDOf(c.x, c.tp); got != c.want {
			t.Errorf("TraceIDOf(%q, %q) = %q, want %q", c.x, c.tp, got, c.want)
		}
	}
}
