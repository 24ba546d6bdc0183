package clock

// commonZones are the zones the settings pages offer, America first (the
// practices Switchboard serves are mostly there), then the rest of the
// world roughly west to east. The Go time package cannot list the zone
// database, and the full list of about 600 names is no help in a picker.
var commonZones = []string{
	"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
	"America/Anchorage", "America/Adak", "Pacific/Honolulu", "America/Boise", "America/Detroit",
	"America/Indiana/Indianapolis", "America/Kentucky/Louisville", "America/Puerto_Rico",
	"America/Halifax", "America/St_Johns", "America/Toronto", "America/Winnipeg", "America/Regina",
	"America/Edmonton", "America/Vancouver", "America/Mexico_City", "America/Monterrey", "America/Tijuana",
	"America/Cancun", "America/Guatemala", "America/Costa_Rica", "America/Panama", "America/Bogota",
	"America/Lima", "America/Caracas", "America/Santiago", "America/Argentina/Buenos_Aires",
	"America/Sao_Paulo", "America/Montevideo",
	"UTC",
	"Atlantic/Reykjavik", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris",
	"Europe/Brussels", "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Rome", "Europe/Vienna",
	"Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Warsaw", "Europe/Prague", "Europe/Athens",
	"Europe/Helsinki", "Europe/Bucharest", "Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow",
	"Africa/Casablanca", "Africa/Lagos", "Africa/Cairo", "Africa/Johannesburg", "Africa/Nairobi",
	"Asia/Jerusalem", "Asia/Riyadh", "Asia/Dubai", "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu",
	"Asia/Dhaka", "Asia/Bangkok", "Asia/Jakarta", "Asia/Singapore", "Asia/Manila", "Asia/Hong_Kong",
	"Asia/Shanghai", "Asia/Taipei", "Asia/Seoul", "Asia/Tokyo", "Australia/Perth", "Australia/Adelaide",
	"Australia/Darwin", "Australia/Brisbane", "Australia/Sydney", "Australia/Melbourne", "Australia/Hobart",
	"Pacific/Guam", "Pacific/Auckland", "Pacific/Fiji",
}

// CommonZones returns the zones a picker offers, America first. Every name
// loads (a test holds it to that).
func CommonZones() []string {
	out := make([]string, len(commonZones))
	copy(out, commonZones)
	return out
}
