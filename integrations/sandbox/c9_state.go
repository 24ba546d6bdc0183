package sandbox

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Cloud9Patient is a Cloud9 Ortho patient; PatientBirthDate is "01/02/2006"
// (empty when unknown) and PatientGender "M", "F" or "U".
type Cloud9Patient struct {
	PatientGUID       string
	PatientID         string
	PatientFirstName  string
	PatientLastName   string
	PatientBirthDate  string
	PatientGender     string
	PatientPhone      string
	PatientEmail      string
	AddressStreet     string
	AddressCity       string
	AddressState      string
	AddressPostalCode string
	LocationGUID      string
	OrthodontistGUID  string
}

// Cloud9Appointment is a Cloud9 Ortho appointment; AppointmentDateTime is
// "01/02/2006 03:04:05 PM" and AppointmentStatus "Scheduled", "Confirmed"
// or "Canceled".
type Cloud9Appointment struct {
	AppointmentGUID     string
	PatientGUID         string
	AppointmentDateTime string
	AppointmentMinutes  int
	AppointmentTypeGUID string
	AppointmentStatus   string
	AppointmentNote     string
	LocationGUID        string
	ScheduleViewGUID    string
	ScheduleColumnGUID  string
	OrthodontistGUID    string

	start time.Time
}

func (a Cloud9Appointment) end() time.Time {
	return a.start.Add(time.Duration(a.AppointmentMinutes) * time.Minute)
}

type c9Location struct{ guid, name, code, timeZone, street, city, state, zip, phone string }

// c9Chair is a schedule column of a location's schedule view.
type c9Chair struct{ guid, name, viewGUID, viewName, locGUID string }

type c9ApptType struct {
	guid, code, name string
	minutes          int
}

type c9Orthodontist struct{ guid, name string }

// c9State is the Cloud9 database.
type c9State struct {
	mu            sync.Mutex
	locations     []c9Location
	chairs        []c9Chair
	types         []c9ApptType
	orthodontists []c9Orthodontist
	patients      []Cloud9Patient
	patIndex      map[string]int
	appts         []Cloud9Appointment
	aptIndex      map[string]int
	nextPatientID int
}

func (st *c9State) seed(now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	g := seedGUID
	st.locations = []c9Location{
		{g(guidLocation, 1), "Sandbox Orthodontics Main", "MAIN", "Pacific Standard Time",
			"100 Main St", "Portland", "OR", "97201", "(503)555-0190"},
		{g(guidLocation, 2), "Sandbox Orthodontics Westside", "WEST", "Pacific Standard Time",
			"400 Canyon Rd", "Beaverton", "OR", "97005", "(503)555-0191"},
	}
	st.chairs = []c9Chair{
		{g(guidChair, 1), "Chair 1", g(guidScheduleView, 1), "Main Schedule", g(guidLocation, 1)},
		{g(guidChair, 2), "Chair 2", g(guidScheduleView, 1), "Main Schedule", g(guidLocation, 1)},
		{g(guidChair, 3), "Chair 1", g(guidScheduleView, 2), "Westside Schedule", g(guidLocation, 2)},
	}
	st.types = []c9ApptType{
		{g(guidAppointmentType, 1), "NPE", "New Patient Exam", 40},
		{g(guidAppointmentType, 2), "ADJ", "Adjustment", 20},
		{g(guidAppointmentType, 3), "REC", "Records", 60},
		{g(guidAppointmentType, 4), "REP", "Bracket Repair", 30},
		{g(guidAppointmentType, 5), "DBND", "Debond", 60},
	}
	st.orthodontists = []c9Orthodontist{{g(guidOrthodontist, 1), "Dr. Elena Park"}, {g(guidOrthodontist, 2), "Dr. Marcus Reed"}}
	st.patients, st.patIndex, st.nextPatientID = nil, map[string]int{}, 1001
	for i, p := range seedPeople {
		loc := st.locations[0]
		if i%3 == 2 { // every third patient goes to the Westside office
			loc = st.locations[1]
		}
		st.insertPatient(Cloud9Patient{
			PatientGUID: g(guidPatient, i+1), PatientFirstName: p.first, PatientLastName: p.last,
			PatientBirthDate: c9DateFromOD(p.birth), PatientGender: p.gender[:1], PatientPhone: p.phone("971"),
			PatientEmail: p.email(), AddressStreet: p.street(), AddressCity: p.city, AddressState: p.state,
			AddressPostalCode: p.zip, LocationGUID: loc.guid, OrthodontistGUID: st.orthodontists[i%2].guid,
		})
	}
	st.appts, st.aptIndex = nil, map[string]int{}
	day := nextWeekday(now)
	for i, a := range []struct {
		minute int
		chair  c9Chair
		typ    c9ApptType
	}{{9 * 60, st.chairs[0], st.types[1]}, {10 * 60, st.chairs[2], st.types[0]}} {
		start := atMinute(day, a.minute)
		st.insertAppointment(Cloud9Appointment{
			AppointmentGUID: g(guidAppointment, i+1), PatientGUID: st.patients[i].PatientGUID,
			AppointmentDateTime: start.Format(c9DateTimeLayout), AppointmentMinutes: a.typ.minutes,
			AppointmentTypeGUID: a.typ.guid, AppointmentStatus: "Scheduled", LocationGUID: a.chair.locGUID,
			ScheduleViewGUID: a.chair.viewGUID, ScheduleColumnGUID: a.chair.guid,
			OrthodontistGUID: st.patients[i].OrthodontistGUID, start: start,
		})
	}
}

func c9DateFromOD(v string) string {
	t, err := time.Parse(odDateLayout, v)
	if err != nil {
		return ""
	}
	return t.Format(c9DateLayout)
}

func (st *c9State) insertPatient(p Cloud9Patient) {
	p.PatientID = strconv.Itoa(st.nextPatientID)
	st.nextPatientID++
	st.patIndex[p.PatientGUID] = len(st.patients)
	st.patients = append(st.patients, p)
}

func (st *c9State) insertAppointment(a Cloud9Appointment) {
	st.aptIndex[a.AppointmentGUID] = len(st.appts)
	st.appts = append(st.appts, a)
}

func (st *c9State) patient(guid string) (*Cloud9Patient, bool) {
	i, ok := st.patIndex[guidKey(guid)]
	if !ok {
		return nil, false
	}
	return &st.patients[i], true
}

func (st *c9State) appointment(guid string) (*Cloud9Appointment, bool) {
	i, ok := st.aptIndex[guidKey(guid)]
	if !ok {
		return nil, false
	}
	return &st.appts[i], true
}

func findBy[T any](items []T, match func(T) bool) (T, bool) {
	if i := slices.IndexFunc(items, match); i >= 0 {
		return items[i], true
	}
	var zero T
	return zero, false
}

func (st *c9State) location(guid string) (c9Location, bool) {
	return findBy(st.locations, func(l c9Location) bool { return l.guid == guidKey(guid) })
}

func (st *c9State) chair(guid string) (c9Chair, bool) {
	return findBy(st.chairs, func(c c9Chair) bool { return c.guid == guidKey(guid) })
}

func (st *c9State) apptType(guid string) (c9ApptType, bool) {
	return findBy(st.types, func(t c9ApptType) bool { return t.guid == guidKey(guid) })
}

func (st *c9State) orthodontist(guid string) (c9Orthodontist, bool) {
	return findBy(st.orthodontists, func(o c9Orthodontist) bool { return o.guid == guidKey(guid) })
}

// newGUID returns a random version 4 GUID, lower-case as Cloud9 writes them.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Cloud9Patients returns a copy of the Cloud9 patients.
func (s *Sandbox) Cloud9Patients() []Cloud9Patient {
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	return slices.Clone(s.c9.patients)
}

// Cloud9Appointments returns a copy of the Cloud9 appointments.
func (s *Sandbox) Cloud9Appointments() []Cloud9Appointment {
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	return slices.Clone(s.c9.appts)
}
