package sandbox

// Field names of the Open Dental types are those of the real API (Go's
// default JSON names where they are PascalCase, tags where they are not).

// OpenDentalPatient is a patient as Open Dental answers it.
type OpenDentalPatient struct {
	PatNum         int64
	LName          string
	FName          string
	MiddleI        string
	Preferred      string
	PatStatus      string
	Gender         string
	Position       string
	Birthdate      string
	Address        string
	Address2       string
	City           string
	State          string
	Zip            string
	HmPhone        string
	WkPhone        string
	WirelessPhone  string
	Guarantor      int64
	Email          string
	PriProv        int64
	BillingType    string
	ClinicNum      int64
	DateFirstVisit string
	DateTStamp     string
	SecDateEntry   string
	ServerDateTime string `json:"serverDateTime,omitempty"`
}

// OpenDentalAppointment is an appointment as Open Dental answers it. Its
// length is Pattern's length times five minutes.
type OpenDentalAppointment struct {
	AptNum             int64
	PatNum             int64
	AptStatus          string
	Pattern            string
	Confirmed          int64
	ConfirmedText      string `json:"confirmed"`
	Op                 int64
	Note               string
	ProvNum            int64
	ProvAbbr           string `json:"provAbbr"`
	ProvHyg            int64
	AptDateTime        string
	ClinicNum          int64
	IsHygiene          string
	IsNewPatient       string
	AppointmentTypeNum int64
	Priority           string
	DateTStamp         string
	SecDateTEntry      string
	ServerDateTime     string `json:"serverDateTime,omitempty"`
}

// OpenDentalProvider is a provider (dentist or hygienist).
type OpenDentalProvider struct {
	ProvNum        int64
	Abbr           string
	LName          string
	FName          string
	Suffix         string
	IsSecondary    string
	IsHidden       string
	ProvStatus     string
	ProvColor      string `json:"provColor"`
	DateTStamp     string
	ServerDateTime string `json:"serverDateTime,omitempty"`
}

// OpenDentalOperatory is an operatory (a chair in a room).
type OpenDentalOperatory struct {
	OperatoryNum  int64
	OpName        string
	Abbrev        string
	ItemOrder     int
	IsHidden      string
	ProvDentist   int64
	ProvHygienist int64
	IsHygiene     string
	ClinicNum     int64
}

// OpenDentalSchedule is one provider's working hours on one day.
type OpenDentalSchedule struct {
	ScheduleNum  int64
	SchedDate    string
	StartTime    string
	StopTime     string
	SchedType    string
	ProvNum      int64
	BlockoutType int64
	Note         string
	Status       string
	EmployeeNum  int64
	DateTStamp   string
	Operatories  string `json:"operatories"`
}

// OpenDentalSlot is a free time answered by GET /appointments/Slots.
type OpenDentalSlot struct {
	DateTimeStart string
	DateTimeEnd   string
	ProvNum       int64
	OpNum         int64
}

// minutes returns the appointment's length.
func (a OpenDentalAppointment) minutes() int { return 5 * len(a.Pattern) }
