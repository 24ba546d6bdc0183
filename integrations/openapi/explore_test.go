package openapi

import (
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
)

func TestExploreMemory(t *testing.T) {
	data := largeSpec(17 << 20)
	t.Logf("doc %d bytes", len(data))
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak {
				peak = m.HeapInuse
			}
		}
	}()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	f, _ := os.Create("/tmp/h/mem.prof")
	runtime.MemProfileRate = 64 << 10
	start := time.Now()
	src, err := Parse(data, "large.json")
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	close(stop)
	<-done
	pprof.Lookup("allocs").WriteTo(f, 0)
	f.Close()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("endpoints %d, took %v, peak heap in use %d MB (base %d MB), total alloc %d MB", len(src.Endpoints), el, peak>>20, base.HeapInuse>>20, (after.TotalAlloc-base.TotalAlloc)>>20)
}

func TestExploreTree(t *testing.T) {
	data := largeSpec(17 << 20)
	runtime.GC()
	var a, b runtime.MemStats
	runtime.ReadMemStats(&a)
	root, err := decode(data, "x.json")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&b)
	t.Logf("doc %d MB, tree live %d MB, allocated %d MB", len(data)>>20, (b.HeapAlloc-a.HeapAlloc)>>20, (b.TotalAlloc-a.TotalAlloc)>>20)
	js := appendJSON(nil, root)
	runtime.GC()
	var c runtime.MemStats
	runtime.ReadMemStats(&c)
	doc, err := load(root, js, false)
	if err != nil {
		t.Fatal(err)
	}
	js = nil
	runtime.GC()
	var d runtime.MemStats
	runtime.ReadMemStats(&d)
	t.Logf("kin doc live %d MB, allocated %d MB", (int64(d.HeapAlloc)-int64(c.HeapAlloc))>>20, (d.TotalAlloc-c.TotalAlloc)>>20)
	runtime.KeepAlive(root)
	runtime.KeepAlive(doc)
}
