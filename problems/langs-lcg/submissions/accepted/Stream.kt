// Kotlin with readln() (Kotlin 1.6+); the entry point is StreamKt.
fun main() {
    val (n, seed) = readln().trim().split(" ").map { it.toLong() }
    var x = seed
    var r = 0L
    for (i in 0 until n) {
        x = (x * 1103515245L + 12345L) and 0x7FFFFFFFL
        r = r xor x
    }
    println(r)
}
