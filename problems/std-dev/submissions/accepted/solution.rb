# @param {Float[]} values
# @return {Float}
def standard_deviation(values)
  mean = values.sum / values.size
  Math.sqrt(values.sum { |v| (v - mean)**2 } / values.size)
end
