package sandbox

import (
	"slices"
	"sync"
	"time"
)

// odState is the Open Dental database. Records are kept in slices ordered
// by primary key (keys only grow), with an index for lookups.
type odState struct {
	mu          sync.Mutex
	patients    []OpenDentalPatient
	patIndex    map[int64]int
	appts       []OpenDentalAppointment
	aptIndex    map[int64]int
	providers   []OpenDentalProvider
	operatories []OpenDentalOperatory
	seededAt    time.Time
	// tables are the front-desk tables kept as plain rows (od_tables.go).
	tables map[string]*odTable
}

func (st *odState) seed(now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	stamp := now.Format(odDateTimeLayout)
	st.seededAt = now
	st.seedTables(stamp)
	st.providers = []OpenDentalProvider{
		{ProvNum: 1, Abbr: "DOC1", LName: "Chen", FName: "Maya", Suffix: "DDS", ProvColor: "164,255,164"},
		{ProvNum: 2, Abbr: "DOC2", LName: "Ortiz", FName: "Samuel", Suffix: "DMD", ProvColor: "164,164,255"},
		{ProvNum: 3, Abbr: "HYG1", LName: "Nair", FName: "Priya", Suffix: "RDH", ProvColor: "255,203,151", IsSecondary: "true"},
	}
	for i := range st.providers {
		p := &st.providers[i]
		p.IsHidden, p.ProvStatus, p.DateTStamp = "false", "Active", stamp
		if p.IsSecondary == "" {
			p.IsSecondary = "false"
		}
	}
	st.operatories = []OpenDentalOperatory{
		{OperatoryNum: 1, OpName: "Operatory 1", Abbrev: "OP1", ItemOrder: 0, ProvDentist: 1, IsHygiene: "false"},
		{OperatoryNum: 2, OpName: "Operatory 2", Abbrev: "OP2", ItemOrder: 1, ProvDentist: 2, IsHygiene: "false"},
		{OperatoryNum: 3, OpName: "Hygiene 1", Abbrev: "HYG1", ItemOrder: 2, ProvHygienist: 3, IsHygiene: "true"},
	}
	for i := range st.operatories {
		st.operatories[i].IsHidden = "false"
	}
	st.patients, st.patIndex = nil, map[int64]int{}
	for i, p := range seedPeople {
		st.insertPatient(OpenDentalPatient{
			PatNum: int64(i + 1), LName: p.last, FName: p.first, PatStatus: "Patient",
			Gender: p.gender, Position: "Single", Birthdate: p.birth,
			Address: p.street(), City: p.city, State: p.state, Zip: p.zip,
			WirelessPhone: p.phone("503"), Email: p.email(), Guarantor: int64(i + 1),
			PriProv: 1, BillingType: "Standard Account", DateFirstVisit: "0001-01-01",
			DateTStamp: stamp, SecDateEntry: now.Format(odDateLayout),
		})
	}
	st.appts, st.aptIndex = nil, map[int64]int{}
	day := nextWeekday(now)
	for i, a := range []struct {
		minute  int
		op      int64
		pattern string
	}{{9 * 60, 1, "/XXXXXX/"}, {10*60 + 30, 2, "/XXXX/"}, {14 * 60, 3, "//XXXX//"}} {
		apt := OpenDentalAppointment{
			AptNum: int64(i + 1), PatNum: int64(i + 1), AptStatus: "Scheduled", Pattern: a.pattern,
			Op: a.op, AptDateTime: atMinute(day, a.minute).Format(odDateTimeLayout),
			DateTStamp: stamp, SecDateTEntry: stamp,
		}
		st.fillAppointmentDefaults(&apt)
		st.insertAppointment(apt)
	}
}

func (st *odState) insertPatient(p OpenDentalPatient) {
	st.patIndex[p.PatNum] = len(st.patients)
	st.patients = append(st.patients, p)
}

func (st *odState) insertAppointment(a OpenDentalAppointment) {
	st.aptIndex[a.AptNum] = len(st.appts)
	st.appts = append(st.appts, a)
}

func (st *odState) nextPatNum() int64 {
	if len(st.patients) == 0 {
		return 1
	}
	return st.patients[len(st.patients)-1].PatNum + 1
}

func (st *odState) nextAptNum() int64 {
	if len(st.appts) == 0 {
		return 1
	}
	return st.appts[len(st.appts)-1].AptNum + 1
}

func (st *odState) patient(num int64) (*OpenDentalPatient, bool) {
	i, ok := st.patIndex[num]
	if !ok {
		return nil, false
	}
	return &st.patients[i], true
}

func (st *odState) appointment(num int64) (*OpenDentalAppointment, bool) {
	i, ok := st.aptIndex[num]
	if !ok {
		return nil, false
	}
	return &st.appts[i], true
}

func (st *odState) provider(num int64) (OpenDentalProvider, bool) {
	i := slices.IndexFunc(st.providers, func(p OpenDentalProvider) bool { return p.ProvNum == num })
	if i < 0 {
		return OpenDentalProvider{}, false
	}
	return st.providers[i], true
}

func (st *odState) operatory(num int64) (OpenDentalOperatory, bool) {
	i := slices.IndexFunc(st.operatories, func(o OpenDentalOperatory) bool { return o.OperatoryNum == num })
	if i < 0 {
		return OpenDentalOperatory{}, false
	}
	return st.operatories[i], true
}

// opProvider is the provider who works in an operatory.
func (o OpenDentalOperatory) opProvider() int64 {
	if o.ProvDentist != 0 {
		return o.ProvDentist
	}
	return o.ProvHygienist
}

// fillAppointmentDefaults completes a new appointment from its operatory and
// provider, as Open Dental does.
func (st *odState) fillAppointmentDefaults(a *OpenDentalAppointment) {
	if a.Op == 0 {
		a.Op = 1
		if a.ProvNum != 0 {
			if i := slices.IndexFunc(st.operatories, func(o OpenDentalOperatory) bool { return o.opProvider() == a.ProvNum }); i >= 0 {
				a.Op = st.operatories[i].OperatoryNum
			}
		}
	}
	op, _ := st.operatory(a.Op)
	if a.ProvNum == 0 {
		a.ProvNum = op.opProvider()
	}
	if p, ok := st.provider(a.ProvNum); ok {
		a.ProvAbbr = p.Abbr
	}
	if a.Confirmed == 0 {
		a.Confirmed = odDefaultConfirm
	}
	a.ConfirmedText, _ = odConfirmName(a.Confirmed)
	a.IsHygiene = op.IsHygiene
	if a.IsNewPatient == "" {
		a.IsNewPatient = "false"
	}
	if a.Priority == "" {
		a.Priority = "Normal"
	}
}

// OpenDentalPatients returns a copy of the Open Dental patients.
func (s *Sandbox) OpenDentalPatients() []OpenDentalPatient {
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	return slices.Clone(s.od.patients)
}

// OpenDentalAppointments returns a copy of the Open Dental appointments.
func (s *Sandbox) OpenDentalAppointments() []OpenDentalAppointment {
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	return slices.Clone(s.od.appts)
}
