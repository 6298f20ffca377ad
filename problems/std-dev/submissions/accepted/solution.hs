standardDeviation :: [Double] -> Double
standardDeviation values = sqrt (sum [(v - mean) ^ (2 :: Int) | v <- values] / n)
  where
    n = fromIntegral (length values)
    mean = sum values / n
