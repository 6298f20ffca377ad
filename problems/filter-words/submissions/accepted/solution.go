import "unicode"

func filterWords(words []string, letter byte, ignoreCase bool) []string {
	out := []string{}
	for _, w := range words {
		if w == "" {
			continue
		}
		if w[0] == letter || ignoreCase && unicode.ToLower(rune(w[0])) == unicode.ToLower(rune(letter)) {
			out = append(out, w)
		}
	}
	return out
}
