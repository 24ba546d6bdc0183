package models_test

import (
	"context"
	"slices"
	"testing"

	"switchboard/models"
	"switchboard/testsupport"
)

func TestPhoneDigits(t *testing.T) {
	for in, want := range map[string]string{"(555) 010-2020": "5550102020", "+1 555 010 2020": "5550102020", "1-555-010-2020": "5550102020",
		"555.010.2020": "5550102020", "+44 20 7946 0018": "442079460018", "": "", "12": "12"} {
		if got := models.PhoneDigits(in); got != want {
			t.Errorf("PhoneDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPhoneSearchByDigits: a search by phone matches the digits whatever
// the format on either side (a leading NANP 1 ignored), and an update
// keeps the stored digits in step; the search box finds a number typed in
// any format too.
func TestPhoneSearchByDigits(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, tn, adaID := slotStore(t, dbURL, "phones")
		ctx := context.Background()
		ana := &models.Patient{FirstName: "Ana", LastName: "Lopez", Phone: "(555) 010-2020"}
		bob := &models.Patient{FirstName: "Bob", LastName: "Moss", Phone: "+1 555 777 1234"}
		for _, p := range []*models.Patient{ana, bob} {
			if err := tn.CreatePatient(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		find := func(f models.PatientFilter) []int64 {
			t.Helper()
			ps, err := tn.Patients(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out
		}
		for _, phone := range []string{"5550102020", "555-010-2020", "+1 (555) 010 2020", "15550102020", "555.010.2020"} {
			if got := find(models.PatientFilter{Phone: phone}); !slices.Equal(got, []int64{ana.ID}) {
				t.Errorf("phone %q found %v, want Ana (%d)", phone, got, ana.ID)
			}
		}
		if got := find(models.PatientFilter{Phone: "5557771234"}); !slices.Equal(got, []int64{bob.ID}) {
			t.Errorf("Bob stored as +1 … found as %v", got)
		}
		if got := find(models.PatientFilter{Search: "555 0102"}); !slices.Equal(got, []int64{ana.ID}) {
			t.Errorf("search box \"555 0102\" found %v, want Ana", got)
		}
		if got := find(models.PatientFilter{Search: "ada"}); !slices.Equal(got, []int64{adaID}) {
			t.Errorf("search by name found %v", got)
		}
		ana.Phone = "555 999 0000"
		if err := tn.UpdatePatient(ctx, ana); err != nil {
			t.Fatal(err)
		}
		if got := find(models.PatientFilter{Phone: "(555) 999-0000"}); !slices.Equal(got, []int64{ana.ID}) {
			t.Errorf("after the update found %v", got)
		}
		if got := find(models.PatientFilter{Phone: "5550102020"}); len(got) != 0 {
			t.Errorf("the old number still finds %v", got)
		}
	})
}
