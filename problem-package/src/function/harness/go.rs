//! Go: the user's functions go in `solution.go` with `package main; ` put
//! before its first line when it has no package clause (LeetCode's Go code
//! has none), so its line numbers stay as written; `judge_harness.go`
//! defines `ListNode` and `TreeNode` and holds `main`, whose direct call of
//! the function fails to compile when it is missing or has another
//! signature. Arguments are built by reflection from the type language.

use crate::function::declaration::go_declaration;
use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::source::SourceFile;

const MAIN: &str = "judge_harness.go";
const USER: &str = "solution.go";

const HARNESS: &str = r#"// The judge's harness: reads the arguments, calls the function, prints the result.
package main

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
)

type ListNode struct {
	Val  int
	Next *ListNode
}

type TreeNode struct {
	Val   int
	Left  *TreeNode
	Right *TreeNode
}

var judgeIn *bufio.Scanner

func judgeNext() string {
	if !judgeIn.Scan() {
		fmt.Fprintln(os.Stderr, "judge harness: the input ended early")
		os.Exit(97)
	}
	return judgeIn.Text()
}

func judgeInt() int {
	v, _ := strconv.ParseInt(judgeNext(), 10, 64)
	return int(v)
}

func judgeType(t string) reflect.Type {
	if strings.HasSuffix(t, "[]") {
		return reflect.SliceOf(judgeType(t[:len(t)-2]))
	}
	switch t {
	case "int":
		return reflect.TypeOf(int(0))
	case "long":
		return reflect.TypeOf(int64(0))
	case "double":
		return reflect.TypeOf(float64(0))
	case "bool":
		return reflect.TypeOf(false)
	case "char":
		return reflect.TypeOf(byte(0))
	case "string":
		return reflect.TypeOf("")
	case "ListNode":
		return reflect.TypeOf((*ListNode)(nil))
	}
	return reflect.TypeOf((*TreeNode)(nil))
}

func judgeRead(t string) reflect.Value {
	if strings.HasSuffix(t, "[]") {
		n := judgeInt()
		s := reflect.MakeSlice(judgeType(t), n, n)
		for i := 0; i < n; i++ {
			s.Index(i).Set(judgeRead(t[:len(t)-2]))
		}
		return s
	}
	switch t {
	case "int":
		return reflect.ValueOf(judgeInt())
	case "long":
		v, _ := strconv.ParseInt(judgeNext(), 10, 64)
		return reflect.ValueOf(v)
	case "double":
		v, _ := strconv.ParseFloat(judgeNext(), 64)
		return reflect.ValueOf(v)
	case "bool":
		return reflect.ValueOf(judgeNext() == "1")
	case "char":
		return reflect.ValueOf(byte(judgeInt()))
	case "string":
		b, _ := hex.DecodeString(judgeNext()[1:])
		return reflect.ValueOf(string(b))
	case "ListNode":
		n := judgeInt()
		dummy := &ListNode{}
		tail := dummy
		for i := 0; i < n; i++ {
			tail.Next = &ListNode{Val: judgeInt()}
			tail = tail.Next
		}
		return reflect.ValueOf(dummy.Next)
	}
	n := judgeInt()
	nodes := make([]*TreeNode, n)
	for i := range nodes {
		if v := judgeNext(); v != "n" {
			x, _ := strconv.Atoi(v)
			nodes[i] = &TreeNode{Val: x}
		}
	}
	child := 1
	for i := 0; i < n && child < n; i++ {
		if nodes[i] == nil {
			continue
		}
		nodes[i].Left = nodes[child]
		child++
		if child < n {
			nodes[i].Right = nodes[child]
			child++
		}
	}
	if n == 0 {
		return reflect.ValueOf((*TreeNode)(nil))
	}
	return reflect.ValueOf(nodes[0])
}

func judgeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20:
			fmt.Fprintf(b, "\\u%04x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

func judgeWrite(b *strings.Builder, t string, v reflect.Value) {
	if strings.HasSuffix(t, "[]") {
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			judgeWrite(b, t[:len(t)-2], v.Index(i))
		}
		b.WriteByte(']')
		return
	}
	switch t {
	case "int", "long":
		b.WriteString(strconv.FormatInt(v.Int(), 10))
	case "double":
		b.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case "bool":
		b.WriteString(strconv.FormatBool(v.Bool()))
	case "char":
		judgeString(b, string([]byte{byte(v.Uint())}))
	case "string":
		judgeString(b, v.String())
	case "ListNode":
		b.WriteByte('[')
		p, _ := v.Interface().(*ListNode)
		for n := 0; p != nil && n < 10000000; n++ {
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p.Val))
			p = p.Next
		}
		b.WriteByte(']')
	default:
		root, _ := v.Interface().(*TreeNode)
		out := []string{}
		queue := []*TreeNode{}
		if root != nil {
			queue = append(queue, root)
		}
		for i := 0; i < len(queue) && len(out) < 10000000; i++ {
			if queue[i] == nil {
				out = append(out, "null")
				continue
			}
			out = append(out, strconv.Itoa(queue[i].Val))
			queue = append(queue, queue[i].Left, queue[i].Right)
		}
		for len(out) > 0 && out[len(out)-1] == "null" {
			out = out[:len(out)-1]
		}
		b.WriteString("[" + strings.Join(out, ",") + "]")
	}
}

func main() {
	judgeIn = bufio.NewScanner(os.Stdin)
	judgeIn.Buffer(make([]byte, 1<<20), 1<<30)
	judgeIn.Split(bufio.ScanWords)
"#;

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(HARNESS);
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!(
            "\ta{i} := judgeRead(\"{}\").Interface().({})\n",
            p.ty,
            p.ty.go()
        ));
        args.push(format!("a{i}"));
    }
    main.push_str(&format!(
        "\tvar result {} = {}({}) // the judge calls: {}\n",
        spec.returns.go(),
        spec.name,
        args.join(", "),
        go_declaration(spec)
    ));
    main.push_str(&format!(
        "\tvar b strings.Builder\n\tjudgeWrite(&b, \"{}\", reflect.ValueOf(result))\n",
        spec.returns
    ));
    main.push_str(&format!(
        "\tfmt.Print(\"\\n{}\\n\" + b.String() + \"\\n\")\n}}\n",
        SEPARATOR.replace('\u{1e}', "\\x1e")
    ));
    let has_package = user.trim_start().starts_with("package ");
    let user = if has_package {
        user
    } else {
        format!("package main; {user}")
    };
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}
