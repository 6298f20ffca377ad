impl Solution {
    pub fn standard_deviation(values: Vec<f64>) -> f64 {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sq: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
        (sq / n).sqrt()
    }
}
