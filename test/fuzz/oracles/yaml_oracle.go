// Helm's reading of repositories.yaml, as a long-lived process: one JSON request per line,
// {"text": "..."}, one JSON answer per line, {"file": {...}} or {"error": "..."}.
//
// Helm's repo.LoadFile unmarshals with sigs.k8s.io/yaml: gopkg.in/yaml.v2 into interface{}, that
// turned into JSON (map keys made strings; a YAML int, float or bool read into a string field
// written as its text), then encoding/json into repo.File, whose field names match
// case-insensitively. This program does the same steps with the same libraries; the structs
// below are helm's repo.File and repo.Entry (helm v3 pkg/repo).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v2"
)

type Entry struct {
	Name                  string `json:"name"`
	URL                   string `json:"url"`
	Username              string `json:"username"`
	Password              string `json:"password"`
	CertFile              string `json:"certFile"`
	KeyFile               string `json:"keyFile"`
	CAFile                string `json:"caFile"`
	InsecureSkipTLSverify bool   `json:"insecure_skip_tls_verify"`
	PassCredentialsAll    bool   `json:"pass_credentials_all"`
}

type File struct {
	APIVersion   string    `json:"apiVersion"`
	Generated    time.Time `json:"generated"`
	Repositories []*Entry  `json:"repositories"`
}

// fieldType is the type encoding/json would decode the member `key` of a `parent` struct into
// (case-insensitive, as encoding/json matches), or nil when no field takes it.
func fieldType(parent reflect.Type, key string) reflect.Type {
	for parent != nil && (parent.Kind() == reflect.Ptr || parent.Kind() == reflect.Slice) {
		parent = parent.Elem()
	}
	if parent == nil || parent.Kind() != reflect.Struct {
		return nil
	}
	var folded reflect.Type
	for i := 0; i < parent.NumField(); i++ {
		f := parent.Field(i)
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name == key {
			return f.Type
		}
		if folded == nil && strings.EqualFold(name, key) {
			folded = f.Type
		}
	}
	return folded
}

func isString(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Ptr {
		t = t.Elem()
	}
	return t != nil && t.Kind() == reflect.String
}

// toJSONable mirrors sigs.k8s.io/yaml's convertToJSONableObject with its target.
func toJSONable(value interface{}, target reflect.Type) (interface{}, error) {
	switch v := value.(type) {
	case map[interface{}]interface{}:
		out := map[string]interface{}{}
		for k, item := range v {
			var key string
			switch kk := k.(type) {
			case string:
				key = kk
			case int:
				key = strconv.Itoa(kk)
			case int64:
				key = strconv.FormatInt(kk, 10)
			case uint64:
				key = strconv.FormatUint(kk, 10)
			case float64:
				key = strconv.FormatFloat(kk, 'g', -1, 64)
			case bool:
				key = strconv.FormatBool(kk)
			case nil:
				key = "null"
			default:
				return nil, fmt.Errorf("unsupported map key of type %T", k)
			}
			converted, err := toJSONable(item, fieldType(target, key))
			if err != nil {
				return nil, err
			}
			out[key] = converted
		}
		return out, nil
	case []interface{}:
		var element reflect.Type
		if target != nil {
			element = target
			for element.Kind() == reflect.Ptr {
				element = element.Elem()
			}
			if element.Kind() == reflect.Slice {
				element = element.Elem()
			} else {
				element = nil
			}
		}
		out := make([]interface{}, len(v))
		for i, item := range v {
			converted, err := toJSONable(item, element)
			if err != nil {
				return nil, err
			}
			out[i] = converted
		}
		return out, nil
	case int:
		if isString(target) {
			return strconv.FormatInt(int64(v), 10), nil
		}
	case int64:
		if isString(target) {
			return strconv.FormatInt(v, 10), nil
		}
	case uint64:
		if isString(target) {
			return strconv.FormatUint(v, 10), nil
		}
	case float64:
		if isString(target) {
			s := strconv.FormatFloat(v, 'g', -1, 32)
			switch s {
			case "+Inf":
				s = ".inf"
			case "-Inf":
				s = "-.inf"
			case "NaN":
				s = ".nan"
			}
			return s, nil
		}
	case bool:
		if isString(target) {
			return strconv.FormatBool(v), nil
		}
	}
	return value, nil
}

func read(text string) (*File, error) {
	var object interface{}
	if err := yaml.Unmarshal([]byte(text), &object); err != nil {
		return nil, err
	}
	jsonable, err := toJSONable(object, reflect.TypeOf(File{}))
	if err != nil {
		return nil, err
	}
	encoded, err := json.Marshal(jsonable)
	if err != nil {
		return nil, err
	}
	file := &File{}
	if string(encoded) == "null" {
		return file, nil
	}
	if err := json.Unmarshal(encoded, file); err != nil {
		return nil, err
	}
	return file, nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 64*1024*1024), 64*1024*1024)
	out := bufio.NewWriter(os.Stdout)
	encoder := json.NewEncoder(out)
	for in.Scan() {
		var request struct {
			Text string `json:"text"`
		}
		answer := map[string]interface{}{}
		if err := json.Unmarshal(in.Bytes(), &request); err != nil {
			answer["error"] = "bad request: " + err.Error()
		} else if file, err := read(request.Text); err != nil {
			answer["error"] = err.Error()
		} else {
			answer["file"] = map[string]interface{}{
				"apiVersion":   file.APIVersion,
				"generated":    file.Generated.Format(time.RFC3339Nano),
				"repositories": file.Repositories,
			}
		}
		encoder.Encode(answer)
		out.Flush()
	}
}
