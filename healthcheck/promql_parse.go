package healthcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// The conditions in which a promql query gives no value: the reason label
// of promql_failures_total and what the log says once per change.
const (
	promqlUnreachable = "unreachable" // no answer, or not the API's JSON
	promqlError       = "error"       // status error: a bad query, a timeout inside Prometheus
	promqlEmpty       = "empty"       // no sample, or more than one: no single value to judge
	promqlNaN         = "nan"         // NaN: a rate over no requests, a quantile of no buckets
)

// queryFailure is a query that gave no value, with its condition.
type queryFailure struct {
	cond string
	err  error
}

func (f *queryFailure) Error() string { return f.cond + ": " + f.err.Error() }

// apiResponse is the part of /api/v1/query's JSON a promql check reads.
type apiResponse struct {
	Status string `json:"status"`
	Error  string `json:"error"`
	Data   struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	} `json:"data"`
}

// parseQueryResponse is the one value of an instant query's answer: a
// scalar, or a vector of exactly one sample.
func parseQueryResponse(body []byte) (float64, error) {
	var r apiResponse
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, &queryFailure{promqlUnreachable, fmt.Errorf("not the query API's JSON: %v", err)}
	}
	if r.Status != "success" {
		return 0, &queryFailure{promqlError, fmt.Errorf("status %q: %s", r.Status, r.Error)}
	}
	var pair []json.RawMessage // [ time, "value" ]
	switch r.Data.ResultType {
	case "scalar":
		if err := json.Unmarshal(r.Data.Result, &pair); err != nil {
			return 0, &queryFailure{promqlError, fmt.Errorf("scalar result: %v", err)}
		}
	case "vector":
		var samples []struct {
			Value []json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(r.Data.Result, &samples); err != nil {
			return 0, &queryFailure{promqlError, fmt.Errorf("vector result: %v", err)}
		}
		if len(samples) != 1 {
			return 0, &queryFailure{promqlEmpty, fmt.Errorf("%d samples, want one", len(samples))}
		}
		pair = samples[0].Value
	default:
		return 0, &queryFailure{promqlError, fmt.Errorf("result type %q, want vector or scalar", r.Data.ResultType)}
	}
	return sampleValue(pair)
}

// sampleValue reads the "value" of a [time, "value"] pair; Prometheus
// writes values as strings so that NaN and ±Inf survive JSON.
func sampleValue(pair []json.RawMessage) (float64, error) {
	var s string
	if len(pair) != 2 || json.Unmarshal(pair[1], &s) != nil {
		return 0, &queryFailure{promqlError, errors.New("a sample is not [time, \"value\"]")}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, &queryFailure{promqlError, fmt.Errorf("sample value %q: %v", s, err)}
	}
	if math.IsNaN(v) {
		return 0, &queryFailure{promqlNaN, errors.New("the value is NaN")}
	}
	return v, nil
}
