package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"time"
)

// Upstream credentials: the upstream refuses any other Authorization, so
// every target proves it forwarded (or, for Switchboard, built) the header.
const (
	upstreamDeveloperKey = "k1"
	upstreamCustomerKey  = "k2"
	upstreamAuth         = "ODFHIR " + upstreamDeveloperKey + "/" + upstreamCustomerKey
	benchPatNum          = 42
)

// patientPrefix and patientSuffix are an Open Dental-like patient (about
// 300 bytes) split around PatNum, which is echoed so that a check can see
// that the path parameter arrived.
var patientPrefix, patientSuffix = []byte(`{"PatNum":`), []byte(`,"LName":"Benchmark","FName":"Ada",` +
	`"PatStatus":"Patient","Gender":"Female","Birthdate":"1985-04-12","Address":"12 Loopback Lane",` +
	`"City":"Localhost","State":"OR","Zip":"97201","HmPhone":"(503)555-0100","Email":"ada@example.com",` +
	`"PriProv":1,"BillingType":"Standard Account"}`)

// patientSize is the size of the answer for benchPatNum.
var patientSize = len(patientPrefix) + len(strconv.Itoa(benchPatNum)) + len(patientSuffix)

// server is a loopback HTTP server started by the harness.
type server struct {
	srv *http.Server
	URL string
}

// serve starts h on a free loopback port.
func serve(h http.Handler) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &server{srv: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute},
		URL: "http://" + ln.Addr().String()}
	// Serve returns ErrServerClosed after Close; any other failure shows
	// up as errors in the phase that needed the server.
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server at once; the harness has stopped sending by then.
func (s *server) Close() error { return s.srv.Close() }

// upstreamHandler answers GET /patients/{PatNum}.
func upstreamHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /patients/{PatNum}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != upstreamAuth {
			http.Error(w, `{"error":"bad credentials"}`, http.StatusUnauthorized)
			return
		}
		n, err := strconv.ParseInt(r.PathValue("PatNum"), 10, 64)
		if err != nil || n <= 0 {
			http.Error(w, `{"error":"PatNum must be a positive integer"}`, http.StatusBadRequest)
			return
		}
		body := make([]byte, 0, len(patientPrefix)+len(patientSuffix)+20)
		body = append(body, patientPrefix...)
		body = strconv.AppendInt(body, n, 10)
		body = append(body, patientSuffix...)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	return mux
}

// reverseProxy is target (b): httputil's single-host proxy. Its transport
// is DefaultTransport's with as many idle connections per host as
// Switchboard's outbound client keeps (128) and nginx's keepalive (64)
// approaches; DefaultTransport's 2 would make it open and close a
// connection per request under load and measure TIME_WAIT, not proxying.
func reverseProxy(upstream string) (http.Handler, error) {
	u, err := url.Parse(upstream)
	if err != nil {
		return nil, err
	}
	p := httputil.NewSingleHostReverseProxy(u)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = 512, 128
	p.Transport = tr
	return p, nil
}
