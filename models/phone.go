package models

import "strings"

// PhoneDigits is a phone number's digits, whatever its format, with a
// leading NANP country code 1 dropped from an 11-digit number: "(555)
// 010-2020", "555.010.2020" and "+1 555 010 2020" are all "5550102020".
func PhoneDigits(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return d
}

// searchDigits are the digits of a search that reads as a phone number
// (at least 3 digits and nothing but digits, spaces and + ( ) - .), else
// "": a name search does not match phone numbers by accident.
func searchDigits(q string) string {
	if strings.Trim(q, "+0123456789 ()-.") != "" {
		return ""
	}
	d := PhoneDigits(q)
	if len(d) < 3 {
		return ""
	}
	return d
}
