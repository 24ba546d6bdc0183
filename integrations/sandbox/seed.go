package sandbox

import (
	"fmt"
	"strings"
)

// seedPerson is one made-up patient; both upstreams are seeded from the
// same list (phone numbers in the fictional 555-01xx range).
type seedPerson struct {
	first, last, gender, birth, city, state, zip string
	line                                         int // 555-01xx
}

var seedPeople = []seedPerson{
	{"Olivia", "Anderson", "Female", "1985-03-14", "Portland", "OR", "97201", 1},
	{"Liam", "Baker", "Male", "1979-11-02", "Portland", "OR", "97205", 2},
	{"Sophia", "Chen", "Female", "1992-07-21", "Beaverton", "OR", "97005", 3},
	{"Noah", "Diaz", "Male", "2010-01-30", "Portland", "OR", "97209", 4},
	{"Emma", "Evans", "Female", "1968-05-09", "Tigard", "OR", "97223", 5},
	{"James", "Foster", "Male", "1988-09-17", "Portland", "OR", "97214", 6},
	{"Ava", "Garcia", "Female", "2001-12-05", "Gresham", "OR", "97030", 7},
	{"Lucas", "Hughes", "Male", "1995-04-27", "Portland", "OR", "97217", 8},
	{"Mia", "Ito", "Female", "1974-08-11", "Lake Oswego", "OR", "97034", 9},
	{"Ethan", "Johnson", "Male", "2008-06-03", "Portland", "OR", "97219", 10},
	{"Isabella", "Kim", "Female", "1990-02-19", "Hillsboro", "OR", "97124", 11},
	{"John", "Smith", "Male", "1983-10-08", "Portland", "OR", "97201", 12},
}

func (p seedPerson) phone(area string) string {
	return fmt.Sprintf("(%s)555-%04d", area, 100+p.line)
}

func (p seedPerson) email() string {
	return strings.ToLower(p.first+"."+p.last) + "@example.com"
}

func (p seedPerson) street() string {
	return fmt.Sprintf("%d %s St", 100+7*p.line, []string{"Oak", "Pine", "Maple", "Cedar"}[p.line%4])
}

// seedGUID returns a fixed, valid-looking GUID for seeded Cloud9 records, so
// that demos and tests can name them.
func seedGUID(kind, n int) string {
	return fmt.Sprintf("c9%06x-5eed-4000-8000-%012x", kind, n)
}

// Kinds of seeded Cloud9 GUIDs.
const (
	guidLocation = iota + 1
	guidScheduleView
	guidChair
	guidOrthodontist
	guidAppointmentType
	guidPatient
	guidAppointment
)

// odConfirmDefs are the appointment confirmation definitions (DefNum and
// name); confirmVal accepts a name or one of the eConfirm words.
var odConfirmDefs = []struct {
	num   int64
	name  string
	alias string
}{
	{19, "Not Called", "None"},
	{20, "Unconfirmed", ""},
	{21, "Appointment Confirmed", "Confirmed"},
	{22, "Left Message", ""},
	{23, "Texted", "Sent"},
	{24, "Not Accepted", "Not Accepted"},
	{25, "Failed", "Failed"},
}

const odDefaultConfirm = 19

func odConfirmName(num int64) (string, bool) {
	for _, d := range odConfirmDefs {
		if d.num == num {
			return d.name, true
		}
	}
	return "", false
}

func odConfirmByValue(v string) (int64, bool) {
	for _, d := range odConfirmDefs {
		if strings.EqualFold(v, d.name) || (d.alias != "" && strings.EqualFold(v, d.alias)) {
			return d.num, true
		}
	}
	return 0, false
}
