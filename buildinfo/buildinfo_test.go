package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.25.1", Main: debug.Module{Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	got := fromBuildInfo(bi, "")
	if got.String() != "switchboard devel (0123456789ab-dirty, go1.25.1)" {
		t.Fatalf("working-tree build = %q", got)
	}
	bi.Main.Version, bi.Settings = "v1.4.0", nil
	if got := fromBuildInfo(bi, ""); got.String() != "switchboard v1.4.0 (unknown, go1.25.1)" {
		t.Fatalf("module build = %q", got)
	}
	if got := fromBuildInfo(bi, "v2.0.0"); got.Version != "v2.0.0" {
		t.Fatalf("link-time version = %q, want v2.0.0", got.Version)
	}
}

func TestGetNamesTheRunningBinary(t *testing.T) {
	i := Get()
	if i.Version == "" || i.Commit == "" || !strings.HasPrefix(i.Go, "go") {
		t.Fatalf("Get() = %+v", i)
	}
}
