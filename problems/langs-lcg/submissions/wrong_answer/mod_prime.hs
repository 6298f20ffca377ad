-- Takes the remainder modulo 2^31 - 1 (a prime) instead of 2^31.
import Data.List (foldl')
import Data.Bits (xor)

main :: IO ()
main = do
  [n, x0] <- map read . words <$> getContents
  let xs = take n (tail (iterate (\x -> (x * 1103515245 + 12345) `mod` 2147483647) x0))
  print (foldl' xor 0 xs :: Int)
