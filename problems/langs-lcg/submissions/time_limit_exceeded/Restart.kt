// Recomputes x_i from the seed for every i: quadratic, hopeless for n = 10^6.
fun main() {
    val (n, seed) = readln().trim().split(" ").map { it.toLong() }
    var r = 0L
    for (i in 1..n) {
        var x = seed
        for (j in 1..i) x = (x * 1103515245L + 12345L) and 0x7FFFFFFFL
        r = r xor x
    }
    println(r)
}
