// Package getopt reads command lines the way NUT's programs do with
// POSIX getopt(3) and a "+" option string: options may be grouped (-DDD),
// an option's value may be attached (-ufoo) or the next argument, and
// options end at "--" or the first argument that is not one.
package getopt
