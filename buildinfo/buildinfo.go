// Package buildinfo says which build of Switchboard is running: the
// module version, the VCS commit and the Go version, read once from the
// binary's own build information (debug.ReadBuildInfo). A release build
// may set Version with -ldflags "-X switchboard/buildinfo.Version=v1.2.3".
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Version overrides the module version when set at link time.
var Version string

// Info is what the build information says.
type Info struct {
	// Version is the module version, or "devel" for a build from a
	// working tree (go run, go build in a checkout).
	Version string
	// Commit is the VCS revision (12 hex digits, "-dirty" when the tree
	// had changes), or "unknown" when the build recorded none.
	Commit string
	// Go is the Go version the binary was built with.
	Go string
}

// String is the one-line form SPEC §11 names:
// switchboard <version> (<commit>, <go version>).
func (i Info) String() string {
	return fmt.Sprintf("switchboard %s (%s, %s)", i.Version, i.Commit, i.Go)
}

var read = sync.OnceValue(func() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: orDevel(Version), Commit: "unknown", Go: "unknown"}
	}
	return fromBuildInfo(bi, Version)
})

// Get returns the running binary's build information.
func Get() Info { return read() }

// fromBuildInfo reads the version, the vcs.* settings and the Go version;
// override, when set, wins over the module version.
func fromBuildInfo(bi *debug.BuildInfo, override string) Info {
	v := override
	if v == "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	commit, dirty := "unknown", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
			if len(commit) > 12 {
				commit = commit[:12]
			}
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && commit != "unknown" {
		commit += "-dirty"
	}
	return Info{Version: orDevel(v), Commit: commit, Go: bi.GoVersion}
}

func orDevel(v string) string {
	if v == "" {
		return "devel"
	}
	return v
}

// Short is the version and commit, as the MCP server and the page footer
// report them: <version> (<commit>).
func (i Info) Short() string { return fmt.Sprintf("%s (%s)", i.Version, i.Commit) }
