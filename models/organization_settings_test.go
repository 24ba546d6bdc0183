package models_test

import (
	"context"
	"testing"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/models"
	"switchboard/testsupport"
)

func TestUpdateOrganization(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		acme, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		globex, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		if acme.TimeZone != "UTC" || acme.TimeZoneSet() || !acme.Hours().IsZero() || acme.Zone().Name() != "UTC" {
			t.Fatalf("a new organization = %+v, want UTC, not set, no hours", acme)
		}

		hours := clock.Hours{"fri": {{Start: "13:00", End: "17:00"}, {Start: "08:00", End: "12:00"}}}
		before, after, err := store.Tenant(acme.ID).UpdateOrganization(ctx, models.OrganizationSettings{Name: "Acme", TimeZone: "America/Chicago",
			TimeZoneChosen: true, OpeningHours: hours, AllowOverlaps: true})
		if err != nil {
			t.Fatal(err)
		}
		if before.TimeZone != "UTC" || after.Zone().Name() != "America/Chicago" || !after.TimeZoneSet() || !after.AllowOverlaps {
			t.Fatalf("before %+v, after %+v", before, after)
		}
		read, err := store.OrganizationByID(ctx, acme.ID)
		if err != nil || read.TimeZone != "America/Chicago" || !read.TimeZoneSet() || read.Hours()["fri"][0].Start != "08:00" {
			t.Fatalf("read back %+v, %v (hours stored in order)", read, err)
		}
		changes := models.OrganizationChanges(before, after)
		if got := changes["changed"]; len(got.([]string)) != 4 {
			t.Fatalf("changes = %v, want name, time_zone, opening_hours, allow_overlaps", changes)
		}
		if again := models.OrganizationChanges(after, read); again != nil {
			t.Fatalf("no change described as %v", again)
		}
		if other, _ := store.OrganizationByID(ctx, globex.ID); other.TimeZone != "UTC" || other.TimeZoneSet() || other.Name != "Globex Dental" {
			t.Fatalf("updating acme changed globex: %+v", other)
		}

		// A later change that does not name the zone leaves it chosen.
		_, later, err := store.Tenant(acme.ID).UpdateOrganization(ctx, read.Settings())
		if err != nil || !later.TimeZoneSet() || !later.TimeZoneSetAt.Equal(read.TimeZoneSetAt) {
			t.Fatalf("a second update = %+v, %v", later, err)
		}

		_, _, err = store.Tenant(acme.ID).UpdateOrganization(ctx, models.OrganizationSettings{Name: "", TimeZone: "Nowhere/Town",
			OpeningHours: clock.Hours{"mon": {{Start: "12:00", End: "08:00"}}}})
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.CodeValidationFailed || len(e.Fields) != 3 {
			t.Fatalf("bad settings = %v, want name, time_zone and opening_hours.mon[0].end", err)
		}
	})
}
