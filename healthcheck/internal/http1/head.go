package http1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// Head is what a probe needs of a response head: the status and how the
// body is delimited.
type Head struct {
	Code    int   // 100-999
	Length  int64 // Content-Length; -1 when absent or chunked, 0 when there is no body
	Chunked bool
	// Field is the value of the field ReadHeadField was asked for, its
	// lines joined by ", " as HTTP combines them; "" when absent.
	Field string
}

// errHeadTooLarge is a head over ReadHead's limit, which it names.
type errHeadTooLarge int

func (n errHeadTooLarge) Error() string {
	return "response head larger than " + strconv.Itoa(int(n)) + " bytes"
}

var errHeadCut = errors.New("connection closed before the end of the response head")

// ReadHead reads the status line and header fields of the final response,
// skipping interim 1xx ones, within limit bytes in all: a backend sending an
// endless head fails the probe instead of holding it until its deadline.
func ReadHead(br *bufio.Reader, limit int) (Head, error) {
	return ReadHeadField(br, limit, "")
}

// ReadHeadField is ReadHead that keeps the value of the field named field
// (any case) in Head.Field: the one field a probe reads beside the status
// (agent_header). A line too long for br's buffer gives no value: a cut
// one could say another word.
func ReadHeadField(br *bufio.Reader, limit int, field string) (Head, error) {
	left := limit
	for {
		h, err := readOneHead(br, &left, field)
		if err == errOverLimit {
			err = errHeadTooLarge(limit)
		}
		if err != nil || h.Code >= 200 || h.Code == 101 {
			return h, err
		}
	}
}

func readOneHead(br *bufio.Reader, left *int, field string) (Head, error) {
	h := Head{Length: -1}
	line, long, err := readLine(br, left)
	if err != nil {
		return h, err
	}
	if h.Code, err = parseStatusLine(line, long); err != nil {
		return h, err
	}
	te := 0
	for {
		if line, long, err = readLine(br, left); err != nil {
			return h, err
		}
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.Trim(value, " \t")
		switch {
		case asciiEqualFold(name, "Transfer-Encoding"):
			// As net/http: one coding, chunked, which overrides a length.
			if te++; te > 1 || long || !asciiEqualFold(value, "chunked") {
				return h, fmt.Errorf("unsupported Transfer-Encoding %q", truncate(value))
			}
			h.Chunked = true
		case asciiEqualFold(name, "Content-Length"):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 || long || (h.Length >= 0 && n != h.Length) {
				return h, fmt.Errorf("bad or conflicting Content-Length %q", truncate(value))
			}
			h.Length = n
		}
		if field != "" && !long && asciiEqualFold(name, field) {
			h.Field = joinField(h.Field, value)
		}
	}
	if h.Chunked {
		h.Length = -1
	}
	if h.Code < 200 || h.Code == 204 || h.Code == 304 {
		h.Length, h.Chunked = 0, false // no body, whatever the header says
	}
	return h, nil
}

// parseStatusLine takes "HTTP/1.x NNN[ reason]" and returns NNN.
func parseStatusLine(line []byte, long bool) (int, error) {
	ok := !long && len(line) >= 12 && bytes.HasPrefix(line, []byte("HTTP/1.")) &&
		line[8] == ' ' && (len(line) == 12 || line[12] == ' ')
	code := 0
	for i := 9; ok && i < 12; i++ {
		ok = line[i] >= '0' && line[i] <= '9'
		code = code*10 + int(line[i]-'0')
	}
	if !ok {
		return 0, fmt.Errorf("malformed status line %q", truncate(line))
	}
	return code, nil
}

func joinField(have string, value []byte) string {
	if have == "" {
		return string(value)
	}
	return have + ", " + string(value)
}
