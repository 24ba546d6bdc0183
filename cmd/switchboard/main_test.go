package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envWith(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestMigrateCommands(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "sb.db")
	env := envWith(map[string]string{"DATABASE_URL": db})
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate", "up"}, "applied"},
		{[]string{"migrate", "status"}, "0 pending"},
		{[]string{"migrate", "down", "--all"}, "rolled back"},
	}
	for _, s := range steps {
		var out bytes.Buffer
		if err := run(context.Background(), s.args, env, &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", s.args, err, out.String())
		}
		if !strings.Contains(out.String(), s.want) {
			t.Fatalf("%v printed %q, want it to mention %q", s.args, out.String(), s.want)
		}
	}
}

func TestUnknownCommandFails(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, envWith(nil), &out, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	env := envWith(map[string]string{
		"DATABASE_URL":           "sqlite://" + filepath.Join(dir, "sb.db"),
		"SWITCHBOARD_DATA_DIR":   dir,
		"SWITCHBOARD_SECRET_KEY": "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out syncBuffer
	go func() { done <- run(ctx, []string{"serve", "--addr", addr}, env, &out, &out) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(fmt.Sprintf("http://%s/readyz", addr))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never became ready: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp, err := http.Get(fmt.Sprintf("http://%s/", addr)); err == nil {
		resp.Body.Close()
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	if !strings.Contains(out.String(), `"request_id"`) {
		t.Errorf("request log lines carry no request_id:\n%s", out.String())
	}
}

func TestUserAndAPIKeyCreate(t *testing.T) {
	dir := t.TempDir()
	env := envWith(map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "Owner@Bright.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out)
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "created organization bright") || !strings.Contains(out.String(), "owner@bright.test is owner of bright") {
		t.Fatalf("user create printed %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "x", "--password", "short", "--role", "boss"}, env, &out, &out); err == nil ||
		!strings.Contains(err.Error(), "--email") || !strings.Contains(err.Error(), "--password") || !strings.Contains(err.Error(), "--role") {
		t.Fatalf("bad user create: err = %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"apikey", "create", "--org", "bright", "--role", "agent", "--name", "Retell"}, env, &out, &out); err != nil {
		t.Fatalf("apikey create: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "sbk_") || len(key) != 52 {
		t.Fatalf("last line %q is not the key", key)
	}
	out.Reset()
	if err := run(ctx, []string{"apikey", "create", "--org", "nope", "--role", "agent", "--name", "x"}, env, &out, &out); err == nil {
		t.Fatal("apikey create for an unknown organization succeeded")
	}
}
