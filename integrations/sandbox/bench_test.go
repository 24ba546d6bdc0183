package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveDirect runs one request through the handler without a network.
func serveDirect(sb *Sandbox, method, path, body string, header map[string]string) int {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	sb.ServeHTTP(rec, req)
	return rec.Code
}

func BenchmarkOpenDentalGetPatient(b *testing.B) {
	sb := New(DefaultConfig())
	h := map[string]string{"Authorization": odAuth}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if code := serveDirect(sb, http.MethodGet, OpenDentalPrefix+"/patients/7", "", h); code != http.StatusOK {
				b.Errorf("status = %d", code)
			}
		}
	})
}

func BenchmarkOpenDentalCreateAppointment(b *testing.B) {
	sb := New(DefaultConfig())
	h := map[string]string{"Authorization": odAuth, "Content-Type": "application/json"}
	const body = `{"PatNum": 3, "AptDateTime": "2026-03-04 09:00:00", "Op": 2, "Pattern": "/XXXX/"}`
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if code := serveDirect(sb, http.MethodPost, OpenDentalPrefix+"/appointments", body, h); code != http.StatusCreated {
				b.Errorf("status = %d", code)
			}
		}
	})
}

func BenchmarkCloud9GetPatientList(b *testing.B) {
	sb := New(DefaultConfig())
	body := c9Body(goodC9, "GetPatientList", [2]string{"LastName", "S"})
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if code := serveDirect(sb, http.MethodPost, Cloud9Path, body, nil); code != http.StatusOK {
				b.Errorf("status = %d", code)
			}
		}
	})
}
